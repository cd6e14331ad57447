package dev.tern.relay.server;

import dev.tern.spi.PolicyDecision;
import dev.tern.spi.Transport;
import dev.tern.relay.allocation.Allocation;
import dev.tern.relay.allocation.AllocationTable;
import dev.tern.relay.auth.AuthOutcome;
import dev.tern.stun.StunAttribute;
import dev.tern.stun.StunMessage;
import dev.tern.relay.core.allocation.AllocationState;
import dev.tern.relay.core.request.Decision;
import dev.tern.relay.core.request.PendingAllocation;
import dev.tern.relay.core.request.Refusal;
import dev.tern.relay.core.request.Report;
import dev.tern.relay.core.request.TurnCore;
import dev.tern.relay.quota.Bandwidth;
import dev.tern.relay.transport.PeerDataHandler;
import dev.tern.relay.transport.RelayFamilies;
import dev.tern.relay.transport.RelayPortBinder;
import dev.tern.relay.core.request.QuotaRefusal;
import dev.tern.spi.Verification;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out Allocate (RFC 8656 section 7) as the {@link TurnCore} decides it, as a straight sequence: the core
 * checks the request, policy is asked without blocking, the core admits it against the quotas, relay ports are bound
 * on the client's event loop (EVEN-PORT, reservations; for a dual allocation an IPv6 one too, or ADDRESS-ERROR-CODE
 * 440/508 for that half), the core creates the allocation's state, and the allocation is served and answered with
 * its relayed addresses. DONT-FRAGMENT makes the relay sockets set DF on what they send (RFC 8656 section 14).
 *
 * <p>Not thread-safe: confined to the listening socket's event loop; the policy decision is brought back to that
 * loop. Every request gets an answer, bad input a 4xx.
 */
final class Allocator {

    private static final Logger LOG = LoggerFactory.getLogger(Allocator.class);

    private final RelayRuntime runtime;
    private final TurnCore core;
    private final AllocationTable table;
    private final AllocationLifecycle lifecycle;
    private final RequestAuthentication authentication;
    private final Channel channel;
    private final Supplier<Transport> transport;

    /**
     * @param channel the channel clients are answered on: the UDP listening socket or a TCP/TLS connection
     * @param transport the client's transport (a {@code tls+tcp://} connection learns it from its first byte)
     */
    Allocator(SocketContext socket, Channel channel, Supplier<Transport> transport) {
        this.runtime = socket.runtime();
        this.core = socket.core();
        this.table = socket.table();
        this.lifecycle = socket.lifecycle();
        this.authentication = socket.authentication();
        this.channel = channel;
        this.transport = transport;
    }

    /** The relay ports of an allocation once bound, and what the answer says of them. */
    private record BoundPorts(List<Allocation.Relay> relays, OptionalLong reservation, int ipv6Error) {
    }

    /** The port of the requested family (or the reserved one), and the token of a port reserved beside it. */
    private record FirstPort(RelayFamilies.Family side, Channel socket, OptionalLong reservation) {
    }

    void allocate(StunMessage m, InetSocketAddress client, Reply unsigned) {
        AuthOutcome auth = authentication.check(m, client);
        Reply reply = RequestAuthentication.signedFor(auth, unsigned);
        Decision d = core.allocate(CoreRequests.allocate(m), client, transport.get(), auth, existing(client));
        if (!(d instanceof Decision.AskPolicy ask)) {
            refuse(reply, client, (Decision.Refuse) d);
            return;
        }
        reply.markInProgress();
        runtime.admission().policy().decide(ask.pending().subject()).whenComplete((decision, error) ->
                channel.eventLoop().execute(() -> decided(reply, ask.pending(), decision, error)));
    }

    private void decided(Reply reply, PendingAllocation p, PolicyDecision decision, Throwable error) {
        if (!channel.isActive()) {
            return;
        }
        Decision d = core.admit(p, error == null ? Optional.of(decision) : Optional.empty(), existing(p.client()));
        if (d instanceof Decision.Refuse refused && refused.refusal().report() instanceof Report.Quota quota
                && quota.reason() == QuotaRefusal.DRAINING) {
            // Draining (#18): 300 Try Alternate naming a live relay of the fleet, else 508 as the core decided.
            Optional<InetSocketAddress> alternate = runtime.admission().registry().alternates()
                    .choose(transport.get(), p.client().getAddress());
            if (alternate.isPresent()) {
                runtime.observers().events().quotaRefused(quota.reason());
                reply.error(300, "Try Alternate", w -> w.address(StunAttribute.ALTERNATE_SERVER, alternate.get()));
                return;
            }
        }
        if (!(d instanceof Decision.BindRelayPort bind)) {
            refuse(reply, p.client(), (Decision.Refuse) d);
            return;
        }
        // #18: the user's quota over the whole fleet (no call at all without a fleet or a limit).
        runtime.admission().fleetLeases().admit(p.userId(), transport.get(), p.client(), bind.userQuota(),
                channel.eventLoop(), leased -> {
                    if (leased) {
                        bindPorts(reply, p, bind);
                    } else {
                        runtime.admission().registry().release(p.userId(), p.client().getAddress());
                        refuse(reply, p.client(), new Decision.Refuse(Refusal.of(486, "Allocation Quota Reached",
                                new Report.Quota(QuotaRefusal.USER_ALLOCATIONS))));
                    }
                });
    }

    private void bindPorts(Reply reply, PendingAllocation p, Decision.BindRelayPort bind) {
        firstPort(p).addListener(f -> {
            if (!f.isSuccess()) {
                LOG.debug("no relay port for {}", p.client(), f.cause());
                runtime.admission().registry().release(p.userId(), p.client().getAddress());
                runtime.admission().fleetLeases().release(p.userId(), transport.get(), p.client());
                refuse(reply, p.client(), new Decision.Refuse(Refusal.of(508, "Insufficient Capacity",
                        new Report.Quota(QuotaRefusal.NO_PORTS))));
                return;
            }
            secondPort(p, (FirstPort) f.getNow()).addListener(g ->
                    bound(reply, p, bind.bandwidth(), (BoundPorts) g.getNow()));
        });
    }

    /** Binds the relay port of the requested family, or takes the reserved one the request names. */
    private Future<FirstPort> firstPort(PendingAllocation p) {
        EventLoop loop = channel.eventLoop();
        Promise<FirstPort> result = loop.newPromise();
        if (p.ports().reservationToken().isPresent()) {
            Optional<Channel> holder = runtime.planes().reservations().take(p.ports().reservationToken().getAsLong());
            // The reserved port's family is the one it was reserved in.
            Optional<RelayFamilies.Family> side = holder.flatMap(h ->
                    runtime.planes().relayFamilies().of(((InetSocketAddress) h.localAddress()).getAddress()));
            if (side.isEmpty()) {
                holder.ifPresent(Channel::close);
                return result.setFailure(new IllegalStateException("no such reservation"));
            }
            side.get().binder().bindReserved(loop, holder.get()).addListener(f -> complete(result, f,
                    () -> new FirstPort(side.get(), (Channel) f.getNow(), OptionalLong.empty())));
            return result;
        }
        RelayFamilies.Family side = relayFamily(p.ports().family()).orElseThrow();
        if (p.ports().reserveNext()) {
            side.binder().bindPair(loop).addListener(f -> complete(result, f, () -> {
                RelayPortBinder.PortPair pair = (RelayPortBinder.PortPair) f.getNow();
                return new FirstPort(side, pair.relay(),
                        OptionalLong.of(runtime.planes().reservations().hold(pair.reserved())));
            }));
        } else {
            side.binder().bind(loop, p.ports().evenPort()).addListener(f -> complete(result, f,
                    () -> new FirstPort(side, (Channel) f.getNow(), OptionalLong.empty())));
        }
        return result;
    }

    private static <T> void complete(Promise<T> result, Future<?> f, Supplier<T> value) {
        if (f.isSuccess()) {
            result.setSuccess(value.get());
        } else {
            result.setFailure(f.cause());
        }
    }

    /**
     * Adds the IPv6 port of a dual allocation; never fails: a relay without IPv6 answers that half with 440, a
     * port that cannot be bound with 508.
     */
    private Future<BoundPorts> secondPort(PendingAllocation p, FirstPort first) {
        Promise<BoundPorts> result = channel.eventLoop().newPromise();
        List<Allocation.Relay> relays = new ArrayList<>(2);
        relays.add(relay(first.side(), first.socket()));
        Optional<RelayFamilies.Family> ipv6 = p.ports().additionalIpv6() ? runtime.planes().relayFamilies().ipv6()
                : Optional.empty();
        if (ipv6.isEmpty()) {
            return result.setSuccess(new BoundPorts(relays, first.reservation(), p.ports().additionalIpv6() ? 440 : 0));
        }
        // EVEN-PORT asks both ports to be even (its R bit is refused with a dual allocation).
        ipv6.get().binder().bind(channel.eventLoop(), p.ports().evenPort()).addListener(f -> {
            if (f.isSuccess()) {
                relays.add(relay(ipv6.get(), (Channel) f.getNow()));
            } else {
                LOG.debug("no IPv6 relay port for {}", p.client(), f.cause());
            }
            result.setSuccess(new BoundPorts(relays, first.reservation(), f.isSuccess() ? 0 : 508));
        });
        return result;
    }

    private static Allocation.Relay relay(RelayFamilies.Family side, Channel socket) {
        return Allocation.Relay.of(socket, new InetSocketAddress(side.advertised(),
                ((InetSocketAddress) socket.localAddress()).getPort()));
    }

    /** Creates the allocation once its relay sockets are bound, serves it and answers. */
    private void bound(Reply reply, PendingAllocation p, Bandwidth bandwidth, BoundPorts ports) {
        List<InetSocketAddress> relayed = new ArrayList<>(ports.relays().size());
        for (Allocation.Relay r : ports.relays()) {
            relayed.add(r.relayed());
        }
        Decision d = channel.isActive() ? core.create(p, relayed, bandwidth, existing(p.client()))
                : new Decision.Ignore();
        if (!(d instanceof Decision.Created created)) {
            for (Allocation.Relay r : ports.relays()) {
                r.channel().close();
            }
            runtime.admission().registry().release(p.userId(), p.client().getAddress());
            if (table.get(p.client()) == null) { // else the lease, named by the client, is that allocation's
                runtime.admission().fleetLeases().release(p.userId(), transport.get(), p.client());
            }
            if (d instanceof Decision.Refuse refused) {
                refuse(reply, p.client(), refused);
            }
            return;
        }
        List<Allocation.Relay> withDf = new ArrayList<>(ports.relays().size());
        for (Allocation.Relay r : ports.relays()) {
            boolean df = p.ports().dontFragment() && runtime.planes().relayFamilies().of(r.relayed().getAddress())
                    .map(f -> f.binder().dontFragment(r.channel())).orElse(false);
            if (p.ports().dontFragment() && !df) {
                LOG.warn("the kernel refused DF on relay socket {}: its datagrams may be fragmented", r.relayed());
            }
            withDf.add(new Allocation.Relay(r.channel(), r.relayed(), df));
        }
        Allocation allocation = new Allocation(created.state(), channel, withDf);
        for (Allocation.Relay r : allocation.relays()) {
            PeerDataHandler peerHandler = new PeerDataHandler(runtime.nanoTime());
            peerHandler.attach(allocation);
            RelayPortBinder.install(r.channel(), peerHandler);
        }
        long lifetime = created.lifetimeSeconds();
        table.put(allocation);
        runtime.admission().registry().add(allocation);
        runtime.planes().ownAddresses().add(allocation);
        lifecycle.expireIn(allocation, lifetime);
        runtime.observers().events().allocationCreated(allocation.view());
        reply.success(w -> {
            for (Allocation.Relay r : allocation.relays()) {
                w.xorAddress(StunAttribute.XOR_RELAYED_ADDRESS, r.relayed());
            }
            if (ports.ipv6Error() != 0) {
                String reason = ports.ipv6Error() == 440 ? "Address Family not Supported" : "Insufficient Capacity";
                byte[] phrase = reason.getBytes(StandardCharsets.UTF_8);
                ByteBuf v = channel.alloc().heapBuffer(4 + phrase.length);
                v.writeByte(StunAttribute.FAMILY_IPV6).writeByte(0).writeByte(ports.ipv6Error() / 100)
                        .writeByte(ports.ipv6Error() % 100).writeBytes(phrase);
                w.bytes(StunAttribute.ADDRESS_ERROR_CODE, v);
                v.release();
            }
            w.u32(StunAttribute.LIFETIME, lifetime);
            if (ports.reservation().isPresent()) {
                ByteBuf t = channel.alloc().heapBuffer(8).writeLong(ports.reservation().getAsLong());
                w.bytes(StunAttribute.RESERVATION_TOKEN, t);
                t.release();
            }
            w.xorAddress(StunAttribute.XOR_MAPPED_ADDRESS, p.client());
        });
    }

    /** The relay's side of a STUN address family, if it relays that family. */
    private Optional<RelayFamilies.Family> relayFamily(int family) {
        return switch (family) {
            case StunAttribute.FAMILY_IPV4 -> runtime.planes().relayFamilies().ipv4();
            case StunAttribute.FAMILY_IPV6 -> runtime.planes().relayFamilies().ipv6();
            default -> Optional.empty();
        };
    }

    private Optional<AllocationState> existing(InetSocketAddress client) {
        return Optional.ofNullable(table.get(client)).map(Allocation::state);
    }

    private void refuse(Reply reply, InetSocketAddress client, Decision.Refuse d) {
        if (LOG.isDebugEnabled() && d.refusal().report() instanceof Report.Quota quota) {
            runtime.observers().clientLog().admit("allocate-refused", client.getAddress().getHostAddress())
                    .ifPresent(line -> LOG.debug("allocate from {} refused: {} ({} since the last such line)",
                            line.key(), quota.reason(), line.count()));
        }
        authentication.refuse(reply, d.refusal());
    }
}
