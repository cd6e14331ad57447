package dev.tern.relay.server;

import dev.tern.guard.SourceAddress;
import dev.tern.spi.Transport;
import dev.tern.relay.allocation.Allocation;
import dev.tern.relay.allocation.AllocationTable;
import dev.tern.relay.allocation.OwnAddresses;
import dev.tern.relay.allocation.ResponseCache;
import dev.tern.relay.auth.AuthOutcome;
import dev.tern.stun.Fingerprint;
import dev.tern.stun.StunAttribute;
import dev.tern.stun.StunClass;
import dev.tern.stun.StunMessage;
import dev.tern.stun.StunMethod;
import dev.tern.stun.StunParse;
import dev.tern.relay.core.request.Decision;
import dev.tern.relay.core.request.TurnCore;
import dev.tern.stun.XorAddress;
import dev.tern.relay.transport.ClientDataHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Second handler of a listening socket: STUN messages. Checks framing, FINGERPRINT and unknown
 * attributes, answers retransmissions from the cache, handles Binding and Send indications itself and
 * hands Allocate to {@link Allocator} and the other TURN requests to {@link TurnRequests}.
 *
 * <p>Serves a UDP listening socket or one TCP/TLS connection (behind
 * {@link dev.tern.relay.stream.StreamFrameDecoder}, which hands it messages as datagrams): for a
 * connection, its end (or an error on it) deletes its allocation (RFC 8656 section 7).
 *
 * <p>Not sharable: one per listening socket or connection, on its event loop. Malformed messages, bad
 * fingerprints, responses and unknown indications are dropped silently; requests always get an answer.
 */
public final class StunRequestHandler extends ChannelInboundHandlerAdapter {

    /** Attributes this relay understands in requests; any other comprehension-required one gets 420. */
    private static final int[] KNOWN = {StunAttribute.MAPPED_ADDRESS, StunAttribute.USERNAME,
        StunAttribute.MESSAGE_INTEGRITY, StunAttribute.ERROR_CODE, StunAttribute.CHANNEL_NUMBER,
        StunAttribute.LIFETIME, StunAttribute.XOR_PEER_ADDRESS, StunAttribute.DATA, StunAttribute.REALM,
        StunAttribute.NONCE, StunAttribute.XOR_RELAYED_ADDRESS, StunAttribute.REQUESTED_ADDRESS_FAMILY,
        StunAttribute.EVEN_PORT, StunAttribute.REQUESTED_TRANSPORT, StunAttribute.DONT_FRAGMENT,
        StunAttribute.MESSAGE_INTEGRITY_SHA256, StunAttribute.PASSWORD_ALGORITHM, StunAttribute.USERHASH,
        StunAttribute.XOR_MAPPED_ADDRESS, StunAttribute.RESERVATION_TOKEN, StunAttribute.PRIORITY,
        StunAttribute.USE_CANDIDATE};
    private static final int CACHE_ENTRIES = 8192;
    private static final long CACHE_TTL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final RelayRuntime runtime;
    /** The runtime's own addresses, read by each Send indication as before the runtime grouped them. */
    private final OwnAddresses ownAddresses;
    private final AllocationTable table;
    private Transport transport;
    private final ResponseCache cache = new ResponseCache(CACHE_ENTRIES, CACHE_TTL_NANOS);
    private Responder responder;
    private AllocationLifecycle lifecycle;
    private RequestAuthentication authentication;
    private TurnCore core;
    private Allocator allocator;
    private TurnRequests turn;
    private ScheduledFuture<?> reporter;

    /**
     * A handler for a UDP listening socket ({@code transport} {@link Transport#UDP}, with the relay's table) or a
     * TCP/TLS connection (with its own table).
     */
    public StunRequestHandler(RelayRuntime runtime, AllocationTable table, Transport transport) {
        this.runtime = runtime;
        this.ownAddresses = runtime.planes().ownAddresses();
        this.table = table;
        this.transport = transport;
    }

    /** Sets the transport once a {@code tls+tcp://} connection shows it is TLS; call on the event loop. */
    public void transport(Transport actual) {
        this.transport = actual;
    }

    private boolean stream() {
        return transport != Transport.UDP;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        responder = new Responder(ctx.channel(), cache, runtime.settings().software(), runtime.nanoTime());
        lifecycle = new AllocationLifecycle(runtime, table, ctx.channel().eventLoop());
        authentication = new RequestAuthentication(runtime);
        core = TurnCores.of(runtime);
        SocketContext socket = new SocketContext(runtime, core, table, lifecycle, authentication);
        allocator = new Allocator(socket, ctx.channel(), () -> transport);
        turn = new TurnRequests(socket);
        reporter = ctx.executor().scheduleAtFixedRate(lifecycle::reportAll, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        reporter.cancel(false);
        cache.clear();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closeAll(stream() ? "connection closed" : "relay stopped");
        cache.clear();
        ctx.fireChannelInactive();
    }

    /** Closes one allocation of this socket (a revoked user's); call on its event loop. */
    public void close(Allocation allocation, String reason) {
        if (lifecycle != null) {
            lifecycle.close(allocation, reason);
        }
    }

    /** Closes every allocation of this socket; call on its event loop. */
    public void closeAll(String reason) {
        if (lifecycle != null) {
            lifecycle.closeAll(reason);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket packet)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            if (StunMessage.parse(packet.content()) instanceof StunParse.Parsed parsed) {
                handle(parsed.message(), packet.sender());
            }
        } finally {
            packet.release();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A UDP socket survives ICMP errors and the like; never close the listener. A broken connection
        // (reset, TLS failure) is closed, which deletes its allocation.
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(StunRequestHandler.class);
        if (log.isDebugEnabled()) {
            runtime.observers().clientLog().admit("stream-error",
                    stream() ? String.valueOf(SourceAddress.of(ctx.channel())) : "listener")
                    .ifPresent(line -> log.debug("{} error ({} since the last such line)", line.key(), line.count(),
                            cause));
        }
        if (stream()) {
            ctx.close();
        }
    }

    private void handle(StunMessage m, InetSocketAddress client) {
        if (Fingerprint.present(m) && !Fingerprint.matches(m)) {
            return;
        }
        StunClass cls = m.messageClass();
        if (cls == StunClass.INDICATION) {
            if (m.method() == StunMethod.SEND) {
                send(m, client);
            }
            return;
        }
        if (cls != StunClass.REQUEST) {
            return;
        }
        long now = runtime.nanoTime().getAsLong();
        RequestKey key = RequestKey.of(m);
        ResponseCache.Hit hit = cache.lookup(client, key.tid(), key.hash(), now);
        if (hit instanceof ResponseCache.Hit.Resend resend) {
            responder.resend(client, resend.response());
            return;
        } else if (hit instanceof ResponseCache.Hit.InProgress) {
            return;
        }
        Reply reply = Reply.to(responder, m, client);
        List<Integer> unknown = m.unknownComprehensionRequired(StunRequestHandler::known);
        if (!unknown.isEmpty()) {
            reply.error(420, "Unknown Attribute", w -> w.unknownAttributes(unknown));
            return;
        }
        switch (m.method()) {
            case StunMethod.BINDING -> binding(m, client, reply);
            case StunMethod.ALLOCATE -> allocator.allocate(m, client, reply);
            case StunMethod.REFRESH -> turn.refresh(m, client, reply);
            case StunMethod.CREATE_PERMISSION -> turn.createPermission(m, client, reply);
            case StunMethod.CHANNEL_BIND -> turn.channelBind(m, client, reply);
            default -> reply.error(400, "Bad Request");
        }
    }

    private static boolean known(int type) {
        for (int k : KNOWN) {
            if (k == type) {
                return true;
            }
        }
        return false;
    }

    private void binding(StunMessage m, InetSocketAddress client, Reply unsigned) {
        Optional<AuthOutcome> auth = runtime.settings().turn().secureStun()
                ? Optional.of(authentication.check(m, client)) : Optional.empty();
        Reply reply = auth.map(a -> RequestAuthentication.signedFor(a, unsigned)).orElse(unsigned);
        Decision d = core.binding(client, auth);
        if (d instanceof Decision.Mapped mapped) {
            reply.success(w -> w.xorAddress(StunAttribute.XOR_MAPPED_ADDRESS, mapped.mapped()));
        } else {
            authentication.refuse(reply, ((Decision.Refuse) d).refusal());
        }
    }

    private void send(StunMessage m, InetSocketAddress client) {
        Allocation allocation = table.get(client);
        if (allocation == null) {
            return;
        }
        // A permission is per IP address, so sendToPeer checks the port of the relay's own addresses on each Send.
        if (core.send(CoreRequests.send(m), Optional.of(allocation.state())) instanceof Decision.Forward forward) {
            ClientDataHandler.sendToPeer(allocation, ownAddresses, m.buffer(),
                    m.valueIndex(StunAttribute.DATA), m.valueLength(StunAttribute.DATA), forward.peer());
        }
    }
}
