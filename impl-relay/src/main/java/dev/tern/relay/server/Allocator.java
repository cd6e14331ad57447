package dev.tern.relay.server;

import dev.tern.api.PolicyDecision;
import dev.tern.api.Subject;
import dev.tern.api.Transport;
import dev.tern.relay.allocation.Allocation;
import dev.tern.relay.allocation.AllocationTable;
import dev.tern.relay.auth.AuthOutcome;
import dev.tern.relay.codec.StunAttribute;
import dev.tern.relay.codec.StunMessage;
import dev.tern.relay.quota.Bandwidth;
import dev.tern.relay.transport.PeerDataHandler;
import dev.tern.relay.transport.RelayFamilies;
import dev.tern.relay.transport.RelayPortBinder;
import dev.tern.spi.RelayListener.QuotaRefusal;
import dev.tern.spi.Verification;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Allocate (RFC 8656 section 7): checks the request, asks policy without blocking, reserves a slot
 * against the quotas, binds a relay port on the client's event loop (EVEN-PORT, reservations) and
 * answers with the relayed address. REQUESTED-ADDRESS-FAMILY picks the family (IPv4 by default, 440
 * when the relay has no address of it); ADDITIONAL-ADDRESS-FAMILY IPv6 asks for a dual allocation, which
 * gets an IPv4 and an IPv6 relay socket, or the IPv4 one alone with ADDRESS-ERROR-CODE for IPv6 (440
 * when the relay has no IPv6 address, 508 when no IPv6 port could be bound). DONT-FRAGMENT makes the
 * relay sockets set DF on what they send (RFC 8656 section 14); without it they never do.
 *
 * <p>Not thread-safe: confined to the listening socket's event loop; the policy decision is brought
 * back to that loop. Every request gets an answer, bad input a 4xx.
 */
final class Allocator {

    private static final Logger LOG = LoggerFactory.getLogger(Allocator.class);

    private final RelayRuntime runtime;
    private final AllocationTable table;
    private final AllocationLifecycle lifecycle;
    private final RequestAuthentication authentication;
    private final Channel channel;
    private final Supplier<Transport> transport;

    /**
     * @param channel the channel clients are answered on: the UDP listening socket or a TCP/TLS connection
     * @param transport the client's transport (a {@code tls+tcp://} connection learns it from its first byte)
     */
    Allocator(RelayRuntime runtime, AllocationTable table, AllocationLifecycle lifecycle,
            RequestAuthentication authentication, Channel channel, Supplier<Transport> transport) {
        this.runtime = runtime;
        this.table = table;
        this.lifecycle = lifecycle;
        this.authentication = authentication;
        this.channel = channel;
        this.transport = transport;
    }

    /** What an Allocate needs once its policy decision arrives (the request buffer is gone by then). */
    private record Pending(Reply reply, AuthOutcome.Authenticated auth, boolean evenPort, boolean reserveNext,
            OptionalLong token, long requestedLifetime, int family, boolean additionalIpv6, boolean dontFragment,
            Subject subject) {

        InetSocketAddress client() {
            return reply.client();
        }

        String userId() {
            return auth.credentials().userId();
        }
    }

    void allocate(StunMessage m, InetSocketAddress client, Reply unsigned) {
        AuthOutcome.Authenticated ok = authentication.authenticate(m, client, unsigned);
        if (ok == null) {
            return;
        }
        Reply reply = unsigned.signed(RequestAuthentication.signing(ok));
        if (table.get(client) != null) {
            reply.error(437, "Allocation Mismatch");
            return;
        }
        // The relay side is UDP whatever the client's transport; RFC 6062 TCP relaying gets 442.
        int requested = firstByte(m, StunAttribute.REQUESTED_TRANSPORT);
        if (requested != StunAttribute.TRANSPORT_UDP) {
            reply.error(requested < 0 ? 400 : 442, requested < 0 ? "Bad Request" : "Unsupported Transport Protocol");
            return;
        }
        int evenPort = firstByte(m, StunAttribute.EVEN_PORT);
        int tokenLength = m.valueLength(StunAttribute.RESERVATION_TOKEN);
        int requestedFamily = firstByte(m, StunAttribute.REQUESTED_ADDRESS_FAMILY);
        int additionalFamily = firstByte(m, StunAttribute.ADDITIONAL_ADDRESS_FAMILY);
        // RFC 8656 section 7.2: a reservation fixes port and family, so it comes with neither EVEN-PORT nor a
        // family; both families at once is 400, and so is an additional family other than IPv6, and a dual
        // allocation asking to reserve the next port (which of its two ports would the token stand for?).
        boolean reserveNext = evenPort >= 0 && (evenPort & 0x80) != 0;
        if (tokenLength >= 0 && (tokenLength != 8 || evenPort >= 0 || requestedFamily >= 0 || additionalFamily >= 0)
                || requestedFamily >= 0 && additionalFamily >= 0
                || additionalFamily >= 0 && (additionalFamily != StunAttribute.FAMILY_IPV6 || reserveNext)) {
            reply.error(400, "Bad Request");
            return;
        }
        // RFC 8656 section 7.2: a relay that cannot set DF treats DONT-FRAGMENT as an unknown attribute.
        boolean dontFragment = m.valueIndex(StunAttribute.DONT_FRAGMENT) >= 0;
        if (dontFragment && !runtime.relayFamilies().canSetDontFragment()) {
            reply.error(420, "Unknown Attribute", w -> w.unknownAttributes(List.of(StunAttribute.DONT_FRAGMENT)));
            return;
        }
        int family = requestedFamily < 0 ? StunAttribute.FAMILY_IPV4 : requestedFamily;
        if (tokenLength < 0 && relayFamily(family).isEmpty()) {
            reply.error(440, "Address Family not Supported");
            return;
        }
        Subject subject;
        try {
            subject = Subject.user(matrixUserId(ok.credentials())).withGuest(ok.credentials().guest())
                    .withRemoteAddress(client.getAddress());
        } catch (IllegalArgumentException e) {
            runtime.events().quotaRefused(QuotaRefusal.TURN_NOT_ALLOWED);
            reply.error(403, "Forbidden");
            return;
        }
        OptionalLong token = tokenLength < 0 ? OptionalLong.empty()
                : OptionalLong.of(m.buffer().getLong(m.valueIndex(StunAttribute.RESERVATION_TOKEN)));
        Pending pending = new Pending(reply, ok, evenPort >= 0, reserveNext, token,
                m.u32(StunAttribute.LIFETIME), family, additionalFamily >= 0, dontFragment, subject);
        reply.markInProgress();
        runtime.policy().decide(subject).whenComplete((decision, error) ->
                channel.eventLoop().execute(() -> decided(pending, decision, error)));
    }

    private void decided(Pending p, PolicyDecision decision, Throwable error) {
        if (!channel.isActive()) {
            return;
        }
        if (error != null) {
            p.reply().error(500, "Server Error");
            return;
        }
        Optional<QuotaRefusal> refusal = policyRefusal(p, decision);
        if (refusal.isPresent()) {
            refuse(p, refusal.get(), 403, "Forbidden");
            return;
        }
        if (table.get(p.client()) != null) {
            p.reply().error(437, "Allocation Mismatch");
            return;
        }
        int userQuota = decision.maxAllocations().orElse(runtime.userQuota());
        refusal = userQuota == 0 ? Optional.of(QuotaRefusal.USER_ALLOCATIONS)
                : runtime.registry().reserve(p.userId(), p.client().getAddress(), userQuota);
        if (refusal.isPresent()) {
            boolean capacity = refusal.get() == QuotaRefusal.DRAINING;
            // Draining (#18): 300 Try Alternate naming a live relay of the fleet, else 508 as before.
            Optional<InetSocketAddress> alternate = capacity ? runtime.registry().alternates()
                    .choose(transport.get(), p.client().getAddress()) : Optional.empty();
            if (alternate.isPresent()) {
                runtime.events().quotaRefused(refusal.get());
                p.reply().error(300, "Try Alternate", w -> w.address(StunAttribute.ALTERNATE_SERVER, alternate.get()));
                return;
            }
            refuse(p, refusal.get(), capacity ? 508 : 486, capacity ? "Insufficient Capacity" : "Allocation Quota Reached");
            return;
        }
        // max_bitrate applies to each direction separately (#22 point 5): sending never starves receiving.
        Bandwidth bandwidth = decision.maxBitrate()
                .map(rate -> Bandwidth.eachWay(Math.max(1, rate.bytesPerSecond()), runtime.nanoTime()))
                .orElse(Bandwidth.UNLIMITED);
        // #18: the user's quota over the whole fleet (no call at all without a fleet or a limit).
        runtime.fleetLeases().admit(p.userId(), transport.get(), p.client(), userQuota, channel.eventLoop(), ok -> {
            if (ok) {
                bindRelayPort(p, bandwidth);
            } else {
                runtime.registry().release(p.userId(), p.client().getAddress());
                refuse(p, QuotaRefusal.USER_ALLOCATIONS, 486, "Allocation Quota Reached");
            }
        });
    }

    private Optional<QuotaRefusal> policyRefusal(Pending p, PolicyDecision decision) {
        if (!decision.turnAllowed()) {
            return Optional.of(QuotaRefusal.TURN_NOT_ALLOWED);
        } else if (p.subject().guest() && !decision.guestsAllowed()) {
            return Optional.of(QuotaRefusal.GUEST);
        } else if (decision.transports().isPresent() && !decision.transports().get().contains(transport.get())) {
            return Optional.of(QuotaRefusal.TRANSPORT_NOT_ALLOWED);
        }
        return Optional.empty();
    }

    /** The relay's side of a STUN address family, if it relays that family. */
    private Optional<RelayFamilies.Family> relayFamily(int family) {
        return switch (family) {
            case StunAttribute.FAMILY_IPV4 -> runtime.relayFamilies().ipv4();
            case StunAttribute.FAMILY_IPV6 -> runtime.relayFamilies().ipv6();
            default -> Optional.empty();
        };
    }

    private void bindRelayPort(Pending p, Bandwidth bandwidth) {
        EventLoop loop = channel.eventLoop();
        if (p.token().isPresent()) {
            Optional<Channel> holder = runtime.reservations().take(p.token().getAsLong());
            // The reserved port's family is the one it was reserved in.
            Optional<RelayFamilies.Family> side = holder.flatMap(h ->
                    runtime.relayFamilies().of(((InetSocketAddress) h.localAddress()).getAddress()));
            if (side.isEmpty()) {
                holder.ifPresent(Channel::close);
                firstBound(p, bandwidth, null, null, OptionalLong.empty(), null);
                return;
            }
            side.get().binder().bindReserved(loop, holder.get()).addListener(f -> firstBound(p, bandwidth, side.get(),
                    f.isSuccess() ? (Channel) f.getNow() : null, OptionalLong.empty(), f.cause()));
            return;
        }
        RelayFamilies.Family side = relayFamily(p.family()).orElseThrow();
        if (p.reserveNext()) {
            side.binder().bindPair(loop).addListener(f -> {
                if (f.isSuccess()) {
                    RelayPortBinder.PortPair pair = (RelayPortBinder.PortPair) f.getNow();
                    firstBound(p, bandwidth, side, pair.relay(),
                            OptionalLong.of(runtime.reservations().hold(pair.reserved())), null);
                } else {
                    firstBound(p, bandwidth, side, null, OptionalLong.empty(), f.cause());
                }
            });
        } else {
            side.binder().bind(loop, p.evenPort()).addListener(f -> firstBound(p, bandwidth, side,
                    f.isSuccess() ? (Channel) f.getNow() : null, OptionalLong.empty(), f.cause()));
        }
    }

    /**
     * Continues once the relay socket of the requested family is bound ({@code relay} null when no port
     * could be bound): binds the IPv6 one too for a dual allocation.
     */
    private void firstBound(Pending p, Bandwidth bandwidth, RelayFamilies.Family side, Channel relay,
            OptionalLong reservation, Throwable failure) {
        if (relay == null) {
            LOG.debug("no relay port for {}", p.client(), failure);
            runtime.registry().release(p.userId(), p.client().getAddress());
            runtime.fleetLeases().release(p.userId(), transport.get(), p.client());
            refuse(p, QuotaRefusal.NO_PORTS, 508, "Insufficient Capacity");
            return;
        }
        List<Allocation.Relay> relays = new ArrayList<>(2);
        relays.add(relay(side, relay));
        Optional<RelayFamilies.Family> ipv6 = p.additionalIpv6() ? runtime.relayFamilies().ipv6() : Optional.empty();
        if (ipv6.isEmpty()) {
            // A dual allocation on a relay without IPv6: the IPv6 half is refused.
            bound(p, bandwidth, relays, reservation, p.additionalIpv6() ? 440 : 0);
            return;
        }
        // EVEN-PORT asks both ports to be even (its R bit is refused with a dual allocation).
        ipv6.get().binder().bind(channel.eventLoop(), p.evenPort()).addListener(f -> {
            if (f.isSuccess()) {
                relays.add(relay(ipv6.get(), (Channel) f.getNow()));
            } else {
                LOG.debug("no IPv6 relay port for {}", p.client(), f.cause());
            }
            bound(p, bandwidth, relays, reservation, f.isSuccess() ? 0 : 508);
        });
    }

    private static Allocation.Relay relay(RelayFamilies.Family side, Channel socket) {
        return new Allocation.Relay(socket, new InetSocketAddress(side.advertised(),
                ((InetSocketAddress) socket.localAddress()).getPort()));
    }

    /**
     * Creates the allocation once its relay sockets are bound.
     *
     * @param ipv6Error the ADDRESS-ERROR-CODE for the IPv6 half of a dual allocation that has none, else 0
     */
    private void bound(Pending p, Bandwidth bandwidth, List<Allocation.Relay> relays, OptionalLong reservation,
            int ipv6Error) {
        if (!channel.isActive() || table.get(p.client()) != null) {
            for (Allocation.Relay r : relays) {
                r.channel().close();
            }
            runtime.registry().release(p.userId(), p.client().getAddress());
            if (table.get(p.client()) == null) { // else the lease, named by the client, is that allocation's
                runtime.fleetLeases().release(p.userId(), transport.get(), p.client());
            }
            if (channel.isActive()) {
                p.reply().error(437, "Allocation Mismatch");
            }
            return;
        }
        Verification.Accepted credentials = p.auth().credentials();
        long lifetime = lifecycle.lifetimeSeconds(p.requestedLifetime(), credentials);
        Instant now = runtime.clock().instant();
        List<Allocation.Relay> withDf = new ArrayList<>(relays.size());
        for (Allocation.Relay r : relays) {
            boolean df = p.dontFragment() && runtime.relayFamilies().of(r.relayed().getAddress())
                    .map(f -> f.binder().dontFragment(r.channel())).orElse(false);
            if (p.dontFragment() && !df) {
                LOG.warn("the kernel refused DF on relay socket {}: its datagrams may be fragmented", r.relayed());
            }
            withDf.add(new Allocation.Relay(r.channel(), r.relayed(), df));
        }
        Allocation allocation = new Allocation(credentials.userId(), credentials.username(), p.auth().key(),
                p.auth().sha256Key(), p.client(), channel, withDf, now, now.plusSeconds(lifetime), bandwidth,
                runtime.maxPermissions(), transport.get());
        for (Allocation.Relay r : allocation.relays()) {
            PeerDataHandler peerHandler = new PeerDataHandler(runtime.nanoTime());
            peerHandler.attach(allocation);
            RelayPortBinder.install(r.channel(), peerHandler);
        }
        table.put(allocation);
        runtime.registry().add(allocation);
        runtime.ownAddresses().add(allocation);
        lifecycle.expireIn(allocation, lifetime);
        runtime.events().allocationCreated(allocation.view());
        p.reply().success(w -> {
            for (Allocation.Relay r : allocation.relays()) {
                w.xorAddress(StunAttribute.XOR_RELAYED_ADDRESS, r.relayed());
            }
            if (ipv6Error != 0) {
                String reason = ipv6Error == 440 ? "Address Family not Supported" : "Insufficient Capacity";
                byte[] phrase = reason.getBytes(StandardCharsets.UTF_8);
                ByteBuf v = channel.alloc().heapBuffer(4 + phrase.length);
                v.writeByte(StunAttribute.FAMILY_IPV6).writeByte(0).writeByte(ipv6Error / 100)
                        .writeByte(ipv6Error % 100).writeBytes(phrase);
                w.bytes(StunAttribute.ADDRESS_ERROR_CODE, v);
                v.release();
            }
            w.u32(StunAttribute.LIFETIME, lifetime);
            if (reservation.isPresent()) {
                ByteBuf t = channel.alloc().heapBuffer(8).writeLong(reservation.getAsLong());
                w.bytes(StunAttribute.RESERVATION_TOKEN, t);
                t.release();
            }
            w.xorAddress(StunAttribute.XOR_MAPPED_ADDRESS, p.client());
        });
    }

    private void refuse(Pending p, QuotaRefusal reason, int code, String phrase) {
        if (LOG.isDebugEnabled()) {
            runtime.clientLog().admit("allocate-refused", p.client().getAddress().getHostAddress()).ifPresent(line ->
                    LOG.debug("allocate from {} refused: {} ({} since the last such line)", line.key(), reason,
                            line.count()));
        }
        runtime.events().quotaRefused(reason);
        p.reply().error(code, phrase);
    }

    static int firstByte(StunMessage m, int type) {
        int index = m.valueIndex(type);
        return index < 0 || m.valueLength(type) < 1 ? -1 : m.buffer().getUnsignedByte(index);
    }

    /** The Matrix user id policy is asked about: TURN REST user parts usually are one already. */
    private String matrixUserId(Verification.Accepted credentials) {
        String user = credentials.userId();
        return user.startsWith("@") ? user : "@" + user + ":" + runtime.serverName();
    }
}
