package dev.tern.relay.core.request;

import dev.tern.spi.PolicyDecision;
import dev.tern.spi.Subject;
import dev.tern.spi.Transport;
import dev.tern.relay.auth.AuthOutcome;
import dev.tern.stun.StunAttribute;
import dev.tern.relay.core.allocation.AllocationState;
import dev.tern.relay.core.allocation.LiveChannel;
import dev.tern.relay.quota.Bandwidth;
import dev.tern.spi.RelayListener.AuthFailure;
import dev.tern.spi.Verification;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * TURN request handling without sockets (RFC 8656): takes a decoded request, the client's 5-tuple (its address;
 * the listener or connection is the caller's) and the allocation that 5-tuple has, if any, and returns the
 * {@link Decision}. It changes the allocation's state itself (permissions, channels, lifetime); everything else
 * (answering, binding ports, timers, data-plane routes, listeners) is the caller's, from the decision.
 *
 * <p>Seams where later checks go: {@code credentialsRefusal} is the one place a TURN request's credentials are
 * decided, {@code authorize} the one place a request on an allocation is authorized (then 437, 441), and
 * {@link #admit} the one place an Allocate is admitted (policy, quotas).
 *
 * <p>Thread-safe as far as it goes: it keeps no state of its own; each allocation's state is confined to its
 * client's event loop, so call with a given allocation on that loop. Bad input gets a 4xx decision, never an
 * exception.
 */
public final class TurnCore {

    private final CoreSettings settings;
    private final PeerCheck peers;
    private final Quotas quotas;
    private final LongSupplier nanoTime;

    /**
     * @param peers which peers the relay relays to
     * @param quotas the relay-wide allocation counts
     * @param nanoTime monotonic time, nanoseconds, for permissions, channels and lifetimes
     */
    public TurnCore(CoreSettings settings, PeerCheck peers, Quotas quotas, LongSupplier nanoTime) {
        this.settings = settings;
        this.peers = peers;
        this.quotas = quotas;
        this.nanoTime = nanoTime;
    }

    /**
     * Binding (RFC 8489): the client's mapped address; when STUN is secured, only for a request whose credentials
     * checked.
     *
     * @param auth the request's credential check, empty when none was made
     */
    public Decision binding(InetSocketAddress client, Optional<AuthOutcome> auth) {
        if (settings.secureStun()) {
            if (auth.isEmpty()) {
                return new Decision.Refuse(Refusal.of(500, "Server Error"));
            }
            Optional<Refusal> credentials = credentialsRefusal(auth.get());
            if (credentials.isPresent()) {
                return new Decision.Refuse(credentials.get());
            }
        }
        return new Decision.Mapped(client);
    }

    /**
     * Allocate, first step: the request's own checks. A client with an allocation on this 5-tuple gets 437.
     *
     * @param existing the allocation of the client's 5-tuple, if any
     */
    public Decision allocate(AllocateRequest r, InetSocketAddress client, Transport transport, AuthOutcome auth,
            Optional<AllocationState> existing) {
        Optional<Refusal> credentials = credentialsRefusal(auth);
        if (credentials.isPresent()) {
            return new Decision.Refuse(credentials.get());
        }
        AuthOutcome.Authenticated ok = (AuthOutcome.Authenticated) auth;
        if (open(existing)) {
            return new Decision.Refuse(Refusal.MISMATCH);
        }
        // The relay side is UDP whatever the client's transport; RFC 6062 TCP relaying gets 442.
        if (r.requestedTransport().isEmpty()) {
            return new Decision.Refuse(Refusal.BAD_REQUEST);
        }
        if (r.requestedTransport().getAsInt() != StunAttribute.TRANSPORT_UDP) {
            return new Decision.Refuse(Refusal.of(442, "Unsupported Transport Protocol"));
        }
        AllocateRequest.RelayPort port = r.port();
        AllocateRequest.Families families = r.families();
        // RFC 8656 section 7.2: a reservation fixes port and family, so it comes with neither EVEN-PORT nor a
        // family; both families at once is 400, and so is an additional family other than IPv6, and a dual
        // allocation asking to reserve the next port (which of its two ports would the token stand for?).
        boolean reserveNext = port.evenPort().isPresent() && (port.evenPort().getAsInt() & 0x80) != 0;
        boolean token = port.reservationToken().isPresent();
        if (r.malformed()
                || token && (port.evenPort().isPresent() || families.requested().isPresent()
                        || families.additional().isPresent())
                || families.requested().isPresent() && families.additional().isPresent()
                || families.additional().isPresent()
                        && (families.additional().getAsInt() != StunAttribute.FAMILY_IPV6 || reserveNext)) {
            return new Decision.Refuse(Refusal.BAD_REQUEST);
        }
        // RFC 8656 section 7.2: a relay that cannot set DF treats DONT-FRAGMENT as an unknown attribute.
        if (port.dontFragment() && !settings.families().dontFragment()) {
            return new Decision.Refuse(new Refusal(420, "Unknown Attribute", Report.NOTHING, false,
                    List.of(StunAttribute.DONT_FRAGMENT)));
        }
        int family = families.requested().orElse(StunAttribute.FAMILY_IPV4);
        if (!token && !settings.families().relays(family)) {
            return new Decision.Refuse(Refusal.of(440, "Address Family not Supported"));
        }
        Subject subject;
        try {
            subject = Subject.user(matrixUserId(ok.credentials())).withGuest(ok.credentials().guest())
                    .withRemoteAddress(client.getAddress());
        } catch (IllegalArgumentException e) {
            return new Decision.Refuse(Refusal.of(403, "Forbidden", new Report.Quota(QuotaRefusal.TURN_NOT_ALLOWED)));
        }
        return new Decision.AskPolicy(new PendingAllocation(client, transport, ok, subject,
                new PendingAllocation.Ports(family, families.additional().isPresent(), port.evenPort().isPresent(),
                        reserveNext, port.reservationToken(), port.dontFragment()), r.lifetime()));
    }

    /**
     * Allocate, second step, once policy has decided: the one place an Allocate is admitted. Policy's refusals get
     * 403; then a slot is reserved against the quotas (486, or 508 while draining). Admitted, the caller binds the
     * relay ports and calls {@link #create}, or {@link Quotas#release} when it cannot.
     *
     * @param decision policy's decision, or empty when asking it failed (500)
     * @param existing the allocation the client's 5-tuple has by now, if any
     */
    public Decision admit(PendingAllocation p, Optional<PolicyDecision> decision, Optional<AllocationState> existing) {
        if (decision.isEmpty()) {
            return new Decision.Refuse(Refusal.of(500, "Server Error"));
        }
        PolicyDecision d = decision.get();
        Optional<QuotaRefusal> refusal = policyRefusal(p, d);
        if (refusal.isPresent()) {
            return new Decision.Refuse(Refusal.of(403, "Forbidden", new Report.Quota(refusal.get())));
        }
        if (open(existing)) {
            return new Decision.Refuse(Refusal.MISMATCH);
        }
        int userQuota = d.maxAllocations().orElse(settings.userQuota());
        refusal = userQuota == 0 ? Optional.of(QuotaRefusal.USER_ALLOCATIONS)
                : quotas.reserve(p.userId(), p.client().getAddress(), userQuota);
        if (refusal.isPresent()) {
            boolean capacity = refusal.get() == QuotaRefusal.DRAINING;
            return new Decision.Refuse(Refusal.of(capacity ? 508 : 486,
                    capacity ? "Insufficient Capacity" : "Allocation Quota Reached", new Report.Quota(refusal.get())));
        }
        // max_bitrate applies to each direction separately (#22 point 5): sending never starves receiving.
        Bandwidth bandwidth = d.maxBitrate()
                .map(rate -> Bandwidth.eachWay(Math.max(1, rate.bytesPerSecond()), nanoTime))
                .orElse(Bandwidth.UNLIMITED);
        return new Decision.BindRelayPort(p, bandwidth, userQuota);
    }

    private static Optional<QuotaRefusal> policyRefusal(PendingAllocation p, PolicyDecision decision) {
        if (!decision.turnAllowed()) {
            return Optional.of(QuotaRefusal.TURN_NOT_ALLOWED);
        } else if (p.subject().guest() && !decision.guestsAllowed()) {
            return Optional.of(QuotaRefusal.GUEST);
        } else if (decision.transports().isPresent() && !decision.transports().get().contains(p.transport())) {
            return Optional.of(QuotaRefusal.TRANSPORT_NOT_ALLOWED);
        }
        return Optional.empty();
    }

    /**
     * Allocate, last step, once its relay ports are bound: the new allocation's state with its lifetime. When the
     * client got another allocation meanwhile: 437, and the caller closes the ports and releases the slot.
     *
     * @param relayed the relayed transport addresses of the bound ports
     */
    public Decision create(PendingAllocation p, List<InetSocketAddress> relayed, Bandwidth bandwidth,
            Optional<AllocationState> existing) {
        if (open(existing)) {
            return new Decision.Refuse(Refusal.MISMATCH);
        }
        Verification.Accepted credentials = p.auth().credentials();
        AllocationState state = new AllocationState(new AllocationState.Owner(credentials.userId(),
                credentials.username(), p.auth().key(), p.auth().sha256Key()),
                new AllocationState.Endpoints(p.client(), p.transport(), relayed),
                settings.lifetimes().clock().instant(),
                new AllocationState.Limits(bandwidth, settings.maxPermissions()));
        long lifetime = settings.lifetimes().seconds(p.lifetime(), credentials);
        state.expireIn(lifetime, nanoTime.getAsLong(), settings.lifetimes().clock().instant());
        return new Decision.Created(state, lifetime);
    }

    /**
     * Refresh (RFC 8656 section 7.3): a new lifetime, or with LIFETIME 0 the end of the allocation or, with
     * REQUESTED-ADDRESS-FAMILY, of that family's half of a dual allocation (443 for a family it does not have).
     */
    public Decision refresh(RefreshRequest r, AuthOutcome auth, Optional<AllocationState> existing) {
        Authorized a = authorize(auth, existing);
        if (a.refusal().isPresent()) {
            return new Decision.Refuse(a.refusal().get());
        }
        AllocationState allocation = a.allocation();
        boolean ipv6 = r.requestedFamily().isPresent() && r.requestedFamily().getAsInt() == StunAttribute.FAMILY_IPV6;
        if (r.requestedFamily().isPresent() && (r.requestedFamily().getAsInt() != StunAttribute.FAMILY_IPV4 && !ipv6
                || allocation.relayedOfFamily(ipv6).isEmpty())) {
            return new Decision.Refuse(Refusal.FAMILY_MISMATCH);
        }
        long now = nanoTime.getAsLong();
        if (r.lifetime().isPresent() && r.lifetime().getAsLong() == 0) {
            List<LiveChannel> routes = allocation.liveChannels(now);
            if (r.requestedFamily().isPresent() && allocation.removeFamily(ipv6, now)) {
                List<LiveChannel> gone = new ArrayList<>(routes);
                gone.removeAll(allocation.liveChannels(now));
                return new Decision.DeleteFamily(ipv6, gone);
            }
            return new Decision.Delete("deleted by client", routes);
        }
        long lifetime = settings.lifetimes().seconds(r.lifetime(), a.credentials());
        allocation.expireIn(lifetime, now, settings.lifetimes().clock().instant());
        return new Decision.Refreshed(lifetime);
    }

    /** CreatePermission (RFC 8656 section 9): all the peers or none (400, 403, 443, or 508 over the limit). */
    public Decision createPermission(PermissionRequest r, AuthOutcome auth, Optional<AllocationState> existing) {
        Authorized a = authorize(auth, existing);
        if (a.refusal().isPresent()) {
            return new Decision.Refuse(a.refusal().get());
        }
        if (r.malformed() || r.peers().isEmpty()) {
            return new Decision.Refuse(Refusal.BAD_REQUEST);
        }
        for (InetSocketAddress peer : r.peers()) {
            Optional<Refusal> refused = peerRefusal(a.allocation(), peer);
            if (refused.isPresent()) {
                return new Decision.Refuse(refused.get());
            }
        }
        List<InetAddress> addresses = new ArrayList<>(r.peers().size());
        for (InetSocketAddress peer : r.peers()) {
            addresses.add(peer.getAddress());
        }
        if (!a.allocation().permit(addresses, nanoTime.getAsLong())) {
            return new Decision.Refuse(Refusal.of(508, "Insufficient Capacity",
                    new Report.Quota(QuotaRefusal.PERMISSIONS_PER_ALLOCATION)));
        }
        return new Decision.PermissionsInstalled(addresses);
    }

    /**
     * ChannelBind (RFC 8656 sections 11 and 12): binds or refreshes a channel and its peer's permission. A number
     * outside the accepted range, or bound (or still reserved) to another peer, or a peer bound to another number:
     * 400.
     */
    public Decision channelBind(ChannelBindRequest r, AuthOutcome auth, Optional<AllocationState> existing) {
        Authorized a = authorize(auth, existing);
        if (a.refusal().isPresent()) {
            return new Decision.Refuse(a.refusal().get());
        }
        if (r.number().isEmpty() || !settings.channelNumbers().accepts(r.number().getAsInt()) || r.peer().isEmpty()) {
            return new Decision.Refuse(Refusal.BAD_REQUEST);
        }
        InetSocketAddress peer = r.peer().get();
        Optional<Refusal> refused = peerRefusal(a.allocation(), peer);
        if (refused.isPresent()) {
            return new Decision.Refuse(refused.get());
        }
        int number = r.number().getAsInt();
        return switch (a.allocation().bind(number, peer, peers.relayedAddress(peer), nanoTime.getAsLong())) {
            case CONFLICT -> new Decision.Refuse(Refusal.BAD_REQUEST);
            case NO_PERMISSION_ROOM -> new Decision.Refuse(Refusal.of(508, "Insufficient Capacity",
                    new Report.Quota(QuotaRefusal.PERMISSIONS_PER_ALLOCATION)));
            case BOUND -> new Decision.ChannelInstalled(number, peer, true);
            case REFRESHED -> new Decision.ChannelInstalled(number, peer, false);
        };
    }

    /**
     * A Send indication (RFC 8656 section 10): forwarded when the 5-tuple has an allocation with a permission for
     * the peer and it carries DATA, else dropped silently. The relay's own addresses are checked where it is sent.
     */
    public Decision send(SendIndication s, Optional<AllocationState> existing) {
        Optional<AllocationState> allocation = live(existing);
        if (allocation.isEmpty() || !s.hasData() || s.peer().isEmpty()
                || !allocation.get().permitted(s.peer().get().getAddress(), nanoTime.getAsLong())) {
            return new Decision.Ignore();
        }
        return new Decision.Forward(s.peer().get());
    }

    /**
     * Of a family the allocation relays (else 443), and accepted by the peer check (else 403).
     */
    private Optional<Refusal> peerRefusal(AllocationState allocation, InetSocketAddress peer) {
        if (!allocation.relaysFamilyOf(peer.getAddress())) {
            return Optional.of(Refusal.FAMILY_MISMATCH);
        }
        if (!peers.accepts(peer)) {
            return Optional.of(Refusal.of(403, "Forbidden", new Report.PeerRefused()));
        }
        return Optional.empty();
    }

    /**
     * What {@link #authorize} concluded: the allocation and credentials, or the refusal.
     */
    private record Authorized(AllocationState allocation, Verification.Accepted credentials,
            Optional<Refusal> refusal) {

        static Authorized refused(Refusal refusal) {
            return new Authorized(null, null, Optional.of(refusal));
        }
    }

    /**
     * The one place a request on an allocation is authorized: its credentials must check (else 400/401/438 with a
     * challenge), the 5-tuple must have a live allocation (else 437), made by the same user with the same key
     * (else 441).
     */
    private Authorized authorize(AuthOutcome auth, Optional<AllocationState> existing) {
        Optional<Refusal> credentials = credentialsRefusal(auth);
        if (credentials.isPresent()) {
            return Authorized.refused(credentials.get());
        }
        AuthOutcome.Authenticated ok = (AuthOutcome.Authenticated) auth;
        Optional<AllocationState> allocation = live(existing);
        if (allocation.isEmpty()) {
            return Authorized.refused(Refusal.MISMATCH);
        }
        AllocationState.Owner owner = allocation.get().owner();
        if (!owner.username().equals(ok.credentials().username()) || !owner.key().equals(ok.key())
                || owner.sha256() != ok.sha256Key()) {
            return Authorized.refused(Refusal.of(441, "Wrong Credentials",
                    new Report.Auth(AuthFailure.WRONG_CREDENTIALS)));
        }
        return new Authorized(allocation.get(), ok.credentials(), Optional.empty());
    }

    /**
     * The one place a TURN request's credentials are decided (Allocate and every request on an allocation): the
     * long-term check's refusal (400, or 401/438 with a challenge), or empty when they are good.
     */
    private static Optional<Refusal> credentialsRefusal(AuthOutcome auth) {
        return auth instanceof AuthOutcome.Refused refused ? Optional.of(refusal(refused)) : Optional.empty();
    }

    /**
     * Whether the 5-tuple still has an allocation that is not closed, even one past its lifetime whose timer has not
     * fired yet: a new one on the same 5-tuple waits until the old one is gone, so the old one's end (its routes in
     * the kernel plane, looked up by the client's 5-tuple) never takes the new one's with it.
     */
    private static boolean open(Optional<AllocationState> existing) {
        return existing.isPresent() && !existing.get().closed();
    }

    /** The allocation, unless it is closed or its lifetime ran out (its timer may not have fired yet). */
    private Optional<AllocationState> live(Optional<AllocationState> existing) {
        long now = nanoTime.getAsLong();
        return existing.filter(a -> !a.closed() && !a.expired(now));
    }

    private static Refusal refusal(AuthOutcome.Refused refused) {
        Report report = refused.failure().<Report>map(Report.Auth::new).orElse(Report.NOTHING);
        return new Refusal(refused.code(), refused.reason(), report, refused.challenge(), List.of());
    }

    /** The Matrix user id policy is asked about: TURN REST user parts usually are one already. */
    private String matrixUserId(Verification.Accepted credentials) {
        String user = credentials.userId();
        return user.startsWith("@") ? user : "@" + user + ":" + settings.serverName();
    }
}
