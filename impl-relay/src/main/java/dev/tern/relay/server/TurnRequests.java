package dev.tern.relay.server;

import dev.tern.api.PolicyDecision;
import dev.tern.api.Subject;
import dev.tern.api.Transport;
import dev.tern.relay.allocation.Allocation;
import dev.tern.relay.allocation.AllocationTable;
import dev.tern.relay.auth.AuthOutcome;
import dev.tern.relay.codec.ChannelData;
import dev.tern.relay.codec.Fingerprint;
import dev.tern.relay.codec.StunAttribute;
import dev.tern.relay.codec.StunClass;
import dev.tern.relay.codec.StunMessage;
import dev.tern.relay.codec.StunMethod;
import dev.tern.relay.codec.XorAddress;
import dev.tern.relay.quota.TokenBucket;
import dev.tern.relay.transport.PeerDataHandler;
import dev.tern.relay.transport.RelayPortBinder;
import dev.tern.spi.RelayListener.Direction;
import dev.tern.spi.RelayListener.QuotaRefusal;
import dev.tern.spi.Verification;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * The TURN requests of RFC 8656: Allocate, Refresh, CreatePermission and ChannelBind, for the
 * allocations of one listening socket.
 *
 * <p>Not thread-safe: confined to the socket's event loop. The policy decision of an Allocate is
 * awaited without blocking: processing resumes on the loop when it arrives. Every request gets an
 * answer; bad input gets a 4xx, never an exception.
 */
final class TurnRequests {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TurnRequests.class);

    private final RelayRuntime runtime;
    private final AllocationTable table;
    private final Responder responder;
    private final Channel channel;

    TurnRequests(RelayRuntime runtime, AllocationTable table, Responder responder, Channel channel) {
        this.runtime = runtime;
        this.table = table;
        this.responder = responder;
        this.channel = channel;
    }

    /** What an Allocate needs once its policy decision arrives (the request buffer is gone by then). */
    private record PendingAllocate(InetSocketAddress client, RequestKey tid, boolean fingerprint,
            AuthOutcome.Authenticated auth, Responder.Signing signing, boolean evenPort, boolean reserveNext,
            OptionalLong token, long requestedLifetime, boolean additionalIpv6, Subject subject) {
    }

    void allocate(StunMessage m, InetSocketAddress client) {
        boolean fp = Fingerprint.present(m);
        RequestKey tid = RequestKey.of(m);
        AuthOutcome.Authenticated ok = authenticate(m, client);
        if (ok == null) {
            return;
        }
        Responder.Signing signing = new Responder.Signing(ok.keyBytes(), ok.sha256());
        if (table.get(client) != null) {
            responder.error(client, m.method(), tid, signing, fp, 437, "Allocation Mismatch");
            return;
        }
        int transport = firstByte(m, StunAttribute.REQUESTED_TRANSPORT);
        if (transport < 0) {
            responder.error(client, m.method(), tid, signing, fp, 400, "Bad Request");
            return;
        } else if (transport != StunAttribute.TRANSPORT_UDP) {
            responder.error(client, m.method(), tid, signing, fp, 442, "Unsupported Transport Protocol");
            return;
        }
        int evenPort = firstByte(m, StunAttribute.EVEN_PORT);
        int tokenLength = m.valueLength(StunAttribute.RESERVATION_TOKEN);
        if (tokenLength >= 0 && (tokenLength != 8 || evenPort >= 0)) {
            responder.error(client, m.method(), tid, signing, fp, 400, "Bad Request");
            return;
        }
        OptionalLong token = tokenLength < 0 ? OptionalLong.empty()
                : OptionalLong.of(m.buffer().getLong(m.valueIndex(StunAttribute.RESERVATION_TOKEN)));
        int requestedFamily = firstByte(m, StunAttribute.REQUESTED_ADDRESS_FAMILY);
        int additionalFamily = firstByte(m, StunAttribute.ADDITIONAL_ADDRESS_FAMILY);
        if (requestedFamily >= 0 && additionalFamily >= 0
                || additionalFamily >= 0 && additionalFamily != StunAttribute.FAMILY_IPV6) {
            responder.error(client, m.method(), tid, signing, fp, 400, "Bad Request");
            return;
        }
        int relayFamily = runtime.advertisedAddress() instanceof Inet4Address ? StunAttribute.FAMILY_IPV4
                : StunAttribute.FAMILY_IPV6;
        int family = requestedFamily < 0 ? StunAttribute.FAMILY_IPV4 : requestedFamily;
        if (family != relayFamily) {
            responder.error(client, m.method(), tid, signing, fp, 440, "Address Family not Supported");
            return;
        }
        Subject subject;
        try {
            subject = Subject.user(matrixUserId(ok.credentials())).withRemoteAddress(client.getAddress());
        } catch (IllegalArgumentException e) {
            runtime.events().quotaRefused(QuotaRefusal.TURN_NOT_ALLOWED);
            responder.error(client, m.method(), tid, signing, fp, 403, "Forbidden");
            return;
        }
        PendingAllocate pending = new PendingAllocate(client, tid, fp, ok, signing, evenPort >= 0,
                evenPort >= 0 && (evenPort & 0x80) != 0, token, m.u32(StunAttribute.LIFETIME), additionalFamily >= 0,
                subject);
        responder.markInProgress(client, tid);
        runtime.policy().decide(subject).whenComplete((decision, error) ->
                channel.eventLoop().execute(() -> allocateDecided(pending, decision, error)));
    }

    private void allocateDecided(PendingAllocate p, PolicyDecision decision, Throwable error) {
        if (!channel.isActive()) {
            return;
        }
        String userId = p.auth().credentials().userId();
        if (error != null) {
            allocateError(p, 500, "Server Error");
            return;
        }
        if (!decision.turnAllowed()) {
            allocateRefused(p, QuotaRefusal.TURN_NOT_ALLOWED, 403, "Forbidden");
            return;
        }
        if (p.subject().guest() && !decision.guestsAllowed()) {
            allocateRefused(p, QuotaRefusal.GUEST, 403, "Forbidden");
            return;
        }
        if (decision.transports().isPresent() && !decision.transports().get().contains(Transport.UDP)) {
            allocateRefused(p, QuotaRefusal.TRANSPORT_NOT_ALLOWED, 403, "Forbidden");
            return;
        }
        if (table.get(p.client()) != null) {
            allocateError(p, 437, "Allocation Mismatch");
            return;
        }
        int userQuota = decision.maxAllocations().orElse(runtime.userQuota());
        Optional<QuotaRefusal> refusal = userQuota == 0 ? Optional.of(QuotaRefusal.USER_ALLOCATIONS)
                : runtime.registry().reserve(userId, p.client().getAddress(), userQuota);
        if (refusal.isPresent()) {
            boolean capacity = refusal.get() == QuotaRefusal.DRAINING;
            allocateRefused(p, refusal.get(), capacity ? 508 : 486,
                    capacity ? "Insufficient Capacity" : "Allocation Quota Reached");
            return;
        }
        TokenBucket bucket = decision.maxBitrate().map(rate -> {
            long bytesPerSecond = Math.max(1, rate.bytesPerSecond());
            // One second of traffic, at least a few full-size packets, so bursts of a video frame pass.
            return new TokenBucket(bytesPerSecond, Math.max(bytesPerSecond, 16 * 1024), runtime.nanoTime());
        }).orElse(null);
        PeerDataHandler peerHandler = new PeerDataHandler(runtime.nanoTime());
        EventLoop loop = channel.eventLoop();
        if (p.token().isPresent()) {
            Optional<Channel> holder = runtime.reservations().take(p.token().getAsLong());
            if (holder.isEmpty()) {
                bound(p, peerHandler, bucket, null, OptionalLong.empty(), null);
                return;
            }
            runtime.portBinder().bindReserved(loop, holder.get()).addListener(f ->
                    bound(p, peerHandler, bucket, f.isSuccess() ? (Channel) f.getNow() : null, OptionalLong.empty(),
                    f.cause()));
        } else if (p.reserveNext()) {
            runtime.portBinder().bindPair(loop).addListener(f -> {
                if (f.isSuccess()) {
                    RelayPortBinder.PortPair pair = (RelayPortBinder.PortPair) f.getNow();
                    long next = runtime.reservations().hold(pair.reserved());
                    bound(p, peerHandler, bucket, pair.relay(), OptionalLong.of(next), null);
                } else {
                    bound(p, peerHandler, bucket, null, OptionalLong.empty(), f.cause());
                }
            });
        } else {
            runtime.portBinder().bind(loop, p.evenPort()).addListener(f ->
                    bound(p, peerHandler, bucket, f.isSuccess() ? (Channel) f.getNow() : null, OptionalLong.empty(),
                    f.cause()));
        }
    }

    /** Continues an Allocate once its relay socket is bound ({@code relay} null when binding failed). */
    private void bound(PendingAllocate p, PeerDataHandler peerHandler, TokenBucket bucket, Channel relay,
            OptionalLong reservation, Throwable failure) {
        String userId = p.auth().credentials().userId();
        if (relay == null) {
            LOG.debug("no relay port for {}", p.client(), failure);
            runtime.registry().release(userId, p.client().getAddress());
            allocateRefused(p, QuotaRefusal.NO_PORTS, 508, "Insufficient Capacity");
            return;
        }
        if (!channel.isActive() || table.get(p.client()) != null) {
            relay.close();
            runtime.registry().release(userId, p.client().getAddress());
            if (channel.isActive()) {
                allocateError(p, 437, "Allocation Mismatch");
            }
            return;
        }
        RelayPortBinder.install(relay, peerHandler);
        created(p, relay, peerHandler, bucket, reservation);
    }

    private void created(PendingAllocate p, Channel relay, PeerDataHandler peerHandler, TokenBucket bucket,
            OptionalLong reservation) {
        Verification.Accepted credentials = p.auth().credentials();
        long lifetime = lifetimeSeconds(p.requestedLifetime(), credentials);
        Instant now = runtime.clock().instant();
        InetSocketAddress relayed = new InetSocketAddress(runtime.advertisedAddress(),
                ((InetSocketAddress) relay.localAddress()).getPort());
        Allocation allocation = new Allocation(credentials.userId(), credentials.username(), p.auth().key(),
                p.auth().sha256(), p.client(), channel, relay, relayed, now, now.plusSeconds(lifetime), bucket,
                runtime.maxPermissions());
        peerHandler.attach(allocation);
        table.put(allocation);
        runtime.registry().add(allocation);
        scheduleExpiry(allocation, lifetime);
        runtime.events().allocationCreated(allocation.view());
        responder.send(p.client(), StunMethod.ALLOCATE, StunClass.SUCCESS_RESPONSE, p.tid(), p.signing(),
                p.fingerprint(), w -> {
                    w.xorAddress(StunAttribute.XOR_RELAYED_ADDRESS, relayed);
                    if (p.additionalIpv6()) {
                        byte[] reason = "Address Family not Supported".getBytes(StandardCharsets.UTF_8);
                        ByteBuf v = channel.alloc().heapBuffer(4 + reason.length);
                        v.writeByte(StunAttribute.FAMILY_IPV6).writeByte(0).writeByte(4).writeByte(40).writeBytes(reason);
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

    private void allocateRefused(PendingAllocate p, QuotaRefusal reason, int code, String phrase) {
        LOG.debug("allocate from {} refused: {}", p.client(), reason);
        runtime.events().quotaRefused(reason);
        allocateError(p, code, phrase);
    }

    private void allocateError(PendingAllocate p, int code, String phrase) {
        responder.error(p.client(), StunMethod.ALLOCATE, p.tid(), p.signing(), p.fingerprint(), code, phrase);
    }

    void refresh(StunMessage m, InetSocketAddress client) {
        Authorized authorized = authorizedAllocation(m, client);
        if (authorized == null) {
            return;
        }
        Allocation allocation = authorized.allocation();
        Responder.Signing signing = signingOf(allocation);
        boolean fp = Fingerprint.present(m);
        long requested = m.u32(StunAttribute.LIFETIME);
        if (requested == 0) {
            close(allocation, "deleted by client");
            responder.send(client, m.method(), StunClass.SUCCESS_RESPONSE, RequestKey.of(m), signing, fp,
                    w -> w.u32(StunAttribute.LIFETIME, 0));
            return;
        }
        long lifetime = lifetimeSeconds(requested, authorized.auth().credentials());
        scheduleExpiry(allocation, lifetime);
        runtime.events().allocationRefreshed(allocation.view());
        responder.send(client, m.method(), StunClass.SUCCESS_RESPONSE, RequestKey.of(m), signing, fp,
                w -> w.u32(StunAttribute.LIFETIME, lifetime));
    }

    void createPermission(StunMessage m, InetSocketAddress client) {
        Authorized authorized = authorizedAllocation(m, client);
        if (authorized == null) {
            return;
        }
        Allocation allocation = authorized.allocation();
        Responder.Signing signing = signingOf(allocation);
        boolean fp = Fingerprint.present(m);
        List<ByteBuf> values = m.attributes(StunAttribute.XOR_PEER_ADDRESS);
        List<InetAddress> peers = new ArrayList<>(values.size());
        for (ByteBuf v : values) {
            Optional<InetSocketAddress> peer = XorAddress.decode(v, m.transactionId());
            if (peer.isEmpty()) {
                responder.error(client, m.method(), RequestKey.of(m), signing, fp, 400, "Bad Request");
                return;
            }
            peers.add(peer.get().getAddress());
        }
        if (peers.isEmpty()) {
            responder.error(client, m.method(), RequestKey.of(m), signing, fp, 400, "Bad Request");
            return;
        }
        for (InetAddress peer : peers) {
            if (!peerAcceptable(m, client, allocation, signing, fp, peer)) {
                return;
            }
        }
        long now = runtime.nanoTime().getAsLong();
        if (!allocation.permit(peers, now)) {
            runtime.events().quotaRefused(QuotaRefusal.PERMISSIONS_PER_ALLOCATION);
            responder.error(client, m.method(), RequestKey.of(m), signing, fp, 508, "Insufficient Capacity");
            return;
        }
        for (InetAddress peer : peers) {
            runtime.events().permissionCreated(allocation.view(), peer);
        }
        responder.send(client, m.method(), StunClass.SUCCESS_RESPONSE, RequestKey.of(m), signing, fp, w -> {
        });
    }

    void channelBind(StunMessage m, InetSocketAddress client) {
        Authorized authorized = authorizedAllocation(m, client);
        if (authorized == null) {
            return;
        }
        Allocation allocation = authorized.allocation();
        Responder.Signing signing = signingOf(allocation);
        boolean fp = Fingerprint.present(m);
        long number = m.u32(StunAttribute.CHANNEL_NUMBER) >>> 16;
        List<ByteBuf> values = m.attributes(StunAttribute.XOR_PEER_ADDRESS);
        Optional<InetSocketAddress> peer = values.size() == 1 ? XorAddress.decode(values.get(0), m.transactionId())
                : Optional.empty();
        if (!ChannelData.isValidChannel((int) number) || peer.isEmpty()) {
            responder.error(client, m.method(), RequestKey.of(m), signing, fp, 400, "Bad Request");
            return;
        }
        if (!peerAcceptable(m, client, allocation, signing, fp, peer.get().getAddress())) {
            return;
        }
        switch (allocation.bind((int) number, peer.get(), runtime.nanoTime().getAsLong())) {
            case CONFLICT -> {
                responder.error(client, m.method(), RequestKey.of(m), signing, fp, 400, "Bad Request");
                return;
            }
            case NO_PERMISSION_ROOM -> {
                runtime.events().quotaRefused(QuotaRefusal.PERMISSIONS_PER_ALLOCATION);
                responder.error(client, m.method(), RequestKey.of(m), signing, fp, 508, "Insufficient Capacity");
                return;
            }
            case BOUND -> runtime.events().channelBound(allocation.view(), (int) number,
                    peer.get().getAddress().getHostAddress() + ":" + peer.get().getPort());
            case REFRESHED -> {
            }
        }
        responder.send(client, m.method(), StunClass.SUCCESS_RESPONSE, RequestKey.of(m), signing, fp, w -> {
        });
    }

    /** Same family as the relayed address (else 443) and permitted by the peer filter (else 403). */
    private boolean peerAcceptable(StunMessage m, InetSocketAddress client, Allocation allocation,
            Responder.Signing signing, boolean fp, InetAddress peer) {
        if ((peer instanceof Inet4Address) != (allocation.relayed().getAddress() instanceof Inet4Address)) {
            responder.error(client, m.method(), RequestKey.of(m), signing, fp, 443, "Peer Address Family Mismatch");
            return false;
        }
        if (!runtime.peerFilter().permits(peer)) {
            runtime.events().peerRefused();
            responder.error(client, m.method(), RequestKey.of(m), signing, fp, 403, "Forbidden");
            return false;
        }
        return true;
    }

    /** The allocation for a request on an existing allocation, or null once an error has been sent. */
    private Authorized authorizedAllocation(StunMessage m, InetSocketAddress client) {
        AuthOutcome.Authenticated ok = authenticate(m, client);
        if (ok == null) {
            return null;
        }
        Allocation allocation = table.get(client);
        Responder.Signing signing = new Responder.Signing(ok.keyBytes(), ok.sha256());
        if (allocation == null) {
            responder.error(client, m.method(), RequestKey.of(m), signing, Fingerprint.present(m), 437,
                    "Allocation Mismatch");
            return null;
        }
        if (!allocation.username().equals(ok.credentials().username()) || !allocation.key().equals(ok.key())
                || allocation.sha256() != ok.sha256()) {
            runtime.events().authFailed(dev.tern.spi.RelayListener.AuthFailure.WRONG_CREDENTIALS);
            responder.error(client, m.method(), RequestKey.of(m), signing, Fingerprint.present(m), 441,
                    "Wrong Credentials");
            return null;
        }
        return new Authorized(allocation, ok);
    }

    /** An allocation and the authenticated request made on it. */
    private record Authorized(Allocation allocation, AuthOutcome.Authenticated auth) {
    }

    private AuthOutcome.Authenticated authenticate(StunMessage m, InetSocketAddress client) {
        AuthOutcome outcome = runtime.authenticator().authenticate(m, client);
        if (outcome instanceof AuthOutcome.Refused refused) {
            refuse(m, client, refused);
            return null;
        }
        return (AuthOutcome.Authenticated) outcome;
    }

    /** Answers a request that failed authentication: 400, or 401/438 with a fresh challenge. */
    void refuse(StunMessage m, InetSocketAddress client, AuthOutcome.Refused refused) {
        refused.failure().ifPresent(runtime.events()::authFailed);
        responder.send(client, m.method(), StunClass.ERROR_RESPONSE, RequestKey.of(m), Responder.Signing.NONE,
                Fingerprint.present(m), w -> {
                    w.errorCode(refused.code(), refused.reason());
                    if (refused.challenge()) {
                        w.string(StunAttribute.REALM, runtime.authenticator().realm());
                        w.string(StunAttribute.NONCE, runtime.authenticator().nonceFor(client));
                        w.passwordAlgorithms();
                    }
                });
    }

    private static Responder.Signing signingOf(Allocation allocation) {
        return new Responder.Signing(allocation.sha256() ? allocation.key().sha256() : allocation.key().md5(),
                allocation.sha256());
    }

    private long lifetimeSeconds(long requested, Verification.Accepted credentials) {
        long def = runtime.defaultLifetime().toSeconds();
        long max = runtime.maxLifetime().toSeconds();
        long lifetime = requested < 0 ? def : Math.min(Math.max(requested, def), max);
        if (runtime.strictExpiry() && credentials.expiresAt().isPresent()) {
            long left = credentials.expiresAt().get().getEpochSecond() - runtime.clock().instant().getEpochSecond();
            lifetime = Math.max(1, Math.min(lifetime, left));
        }
        return lifetime;
    }

    private void scheduleExpiry(Allocation allocation, long seconds) {
        allocation.expiry(runtime.clock().instant().plusSeconds(seconds),
                channel.eventLoop().schedule(() -> close(allocation, "expired"), seconds, TimeUnit.SECONDS));
    }

    /** Ends an allocation: closes its relay socket, frees its slot and reports it. Idempotent. */
    void close(Allocation allocation, String reason) {
        if (!allocation.markClosed()) {
            return;
        }
        table.remove(allocation);
        runtime.registry().remove(allocation);
        allocation.relayChannel().close();
        report(runtime.events(), drain(allocation));
        runtime.events().allocationDeleted(allocation.view(), reason);
    }

    /** The traffic counters of an allocation since the last drain. */
    static long[] drain(Allocation allocation) {
        return allocation.drainCounters();
    }

    static void report(RelayEvents events, long[] d) {
        if (d[0] > 0) {
            events.relayed(Direction.TO_PEER, d[0], d[1]);
        }
        if (d[2] > 0) {
            events.relayed(Direction.FROM_PEER, d[2], d[3]);
        }
        if (d[4] > 0) {
            events.rateLimited(d[4], d[5]);
        }
    }

    private static int firstByte(StunMessage m, int type) {
        int index = m.valueIndex(type);
        return index < 0 || m.valueLength(type) < 1 ? -1 : m.buffer().getUnsignedByte(index);
    }

    /** The Matrix user id policy is asked about: TURN REST user parts are usually one already. */
    private String matrixUserId(Verification.Accepted credentials) {
        String user = credentials.userId();
        return user.startsWith("@") ? user : "@" + user + ":" + runtime.serverName();
    }
}
