package dev.tern.relay.server;

import dev.tern.api.PolicyDecision;
import dev.tern.api.Subject;
import dev.tern.api.Transport;
import dev.tern.relay.allocation.Allocation;
import dev.tern.relay.allocation.AllocationTable;
import dev.tern.relay.auth.AuthOutcome;
import dev.tern.relay.codec.StunAttribute;
import dev.tern.relay.codec.StunMessage;
import dev.tern.relay.quota.TokenBucket;
import dev.tern.relay.transport.PeerDataHandler;
import dev.tern.relay.transport.RelayPortBinder;
import dev.tern.spi.RelayListener.QuotaRefusal;
import dev.tern.spi.Verification;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Allocate (RFC 8656 section 7): checks the request, asks policy without blocking, reserves a slot
 * against the quotas, binds a relay port on the client's event loop (EVEN-PORT, reservations) and
 * answers with the relayed address.
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
            OptionalLong token, long requestedLifetime, boolean additionalIpv6, Subject subject) {

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
        if (tokenLength >= 0 && (tokenLength != 8 || evenPort >= 0)
                || requestedFamily >= 0 && additionalFamily >= 0
                || additionalFamily >= 0 && additionalFamily != StunAttribute.FAMILY_IPV6) {
            reply.error(400, "Bad Request");
            return;
        }
        int relayFamily = runtime.advertisedAddress() instanceof Inet4Address ? StunAttribute.FAMILY_IPV4
                : StunAttribute.FAMILY_IPV6;
        if ((requestedFamily < 0 ? StunAttribute.FAMILY_IPV4 : requestedFamily) != relayFamily) {
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
        Pending pending = new Pending(reply, ok, evenPort >= 0, evenPort >= 0 && (evenPort & 0x80) != 0, token,
                m.u32(StunAttribute.LIFETIME), additionalFamily >= 0, subject);
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
            refuse(p, refusal.get(), capacity ? 508 : 486, capacity ? "Insufficient Capacity" : "Allocation Quota Reached");
            return;
        }
        TokenBucket bucket = decision.maxBitrate().map(rate -> {
            long bytesPerSecond = Math.max(1, rate.bytesPerSecond());
            // One second of traffic and at least 16 KiB, so a video key frame's burst passes.
            return new TokenBucket(bytesPerSecond, Math.max(bytesPerSecond, 16 * 1024), runtime.nanoTime());
        }).orElse(null);
        bindRelayPort(p, bucket);
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

    private void bindRelayPort(Pending p, TokenBucket bucket) {
        EventLoop loop = channel.eventLoop();
        RelayPortBinder binder = runtime.portBinder();
        if (p.token().isPresent()) {
            Optional<Channel> holder = runtime.reservations().take(p.token().getAsLong());
            if (holder.isEmpty()) {
                bound(p, bucket, null, OptionalLong.empty(), null);
                return;
            }
            binder.bindReserved(loop, holder.get()).addListener(f ->
                    bound(p, bucket, f.isSuccess() ? (Channel) f.getNow() : null, OptionalLong.empty(), f.cause()));
        } else if (p.reserveNext()) {
            binder.bindPair(loop).addListener(f -> {
                if (f.isSuccess()) {
                    RelayPortBinder.PortPair pair = (RelayPortBinder.PortPair) f.getNow();
                    bound(p, bucket, pair.relay(), OptionalLong.of(runtime.reservations().hold(pair.reserved())), null);
                } else {
                    bound(p, bucket, null, OptionalLong.empty(), f.cause());
                }
            });
        } else {
            binder.bind(loop, p.evenPort()).addListener(f ->
                    bound(p, bucket, f.isSuccess() ? (Channel) f.getNow() : null, OptionalLong.empty(), f.cause()));
        }
    }

    /** Continues once the relay socket is bound ({@code relay} null when no port could be bound). */
    private void bound(Pending p, TokenBucket bucket, Channel relay, OptionalLong reservation, Throwable failure) {
        if (relay == null) {
            LOG.debug("no relay port for {}", p.client(), failure);
            runtime.registry().release(p.userId(), p.client().getAddress());
            refuse(p, QuotaRefusal.NO_PORTS, 508, "Insufficient Capacity");
            return;
        }
        if (!channel.isActive() || table.get(p.client()) != null) {
            relay.close();
            runtime.registry().release(p.userId(), p.client().getAddress());
            if (channel.isActive()) {
                p.reply().error(437, "Allocation Mismatch");
            }
            return;
        }
        PeerDataHandler peerHandler = new PeerDataHandler(runtime.nanoTime());
        Verification.Accepted credentials = p.auth().credentials();
        long lifetime = lifecycle.lifetimeSeconds(p.requestedLifetime(), credentials);
        Instant now = runtime.clock().instant();
        InetSocketAddress relayed = new InetSocketAddress(runtime.advertisedAddress(),
                ((InetSocketAddress) relay.localAddress()).getPort());
        Allocation allocation = new Allocation(credentials.userId(), credentials.username(), p.auth().key(),
                p.auth().sha256(), p.client(), channel, relay, relayed, now, now.plusSeconds(lifetime), bucket,
                runtime.maxPermissions(), transport.get());
        peerHandler.attach(allocation);
        RelayPortBinder.install(relay, peerHandler);
        table.put(allocation);
        runtime.registry().add(allocation);
        lifecycle.expireIn(allocation, lifetime);
        runtime.events().allocationCreated(allocation.view());
        p.reply().success(w -> {
            w.xorAddress(StunAttribute.XOR_RELAYED_ADDRESS, relayed);
            if (p.additionalIpv6()) {
                // Dual allocation asked, but the relay has one address family: the IPv6 half is refused.
                byte[] phrase = "Address Family not Supported".getBytes(StandardCharsets.UTF_8);
                ByteBuf v = channel.alloc().heapBuffer(4 + phrase.length);
                v.writeByte(StunAttribute.FAMILY_IPV6).writeByte(0).writeByte(4).writeByte(40).writeBytes(phrase);
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
        LOG.debug("allocate from {} refused: {}", p.client(), reason);
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
