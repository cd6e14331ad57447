package dev.tern.relay.shared;

import dev.tern.spi.Transport;
import dev.tern.relay.stream.QueuedMemoryEstimator;
import dev.tern.relay.stream.TurnPipeline;
import dev.tern.relay.transport.BatchedFlush;
import dev.tern.relay.tls.ReloadingSslContext;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * For a homeserver with its own Netty HTTPS server on 443: put one right after its {@link SslHandler} (from
 * {@code NettyRelayServer.newTurnClaim()}), and each connection whose ALPN is {@code stun.turn}, or whose first
 * bytes after the handshake are STUN or ChannelData ({@link FirstBytes}), is handed to Tern's relay: the host's
 * handlers after this one are removed, the connection moves to one of the relay's event loops (allocations live on
 * their client's loop) and gets the relay's {@link TurnPipeline}. Anything else (an HTTP request line, the HTTP/2
 * preface, garbage) stays the host's: this handler removes itself and hands on what it read.
 *
 * <pre>
 * ch.pipeline().addLast(sslContext.newHandler(ch.alloc()));   // the host's TLS, ALPN: stun.turn, h2, http/1.1
 * ch.pipeline().addLast(relay.newTurnClaim());                 // Tern's
 * ch.pipeline().addLast(new HttpServerCodec(), ...);           // the host's HTTP
 * </pre>
 *
 * <p>The move needs the host's channel to suit the relay's transport (both NIO or both epoll); a connection that
 * does not is closed with a warning. The host's handlers before this one (its caps, its idle timeout) stay: keep
 * such an idle timeout longer than TURN clients' refresh interval (RFC 8656: at most 10 minutes). Not sharable:
 * one per connection.
 */
public final class TurnClaim extends ByteToMessageDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(TurnClaim.class);

    private final TurnPipeline turn;
    private final EventLoopGroup relayLoops;
    private final ChannelGroup connections;
    private boolean claimed;

    /**
     * @param relayLoops the relay's event loops, one of which a claimed connection moves to
     * @param connections the relay's client connections, which a claimed connection joins, so the relay's drain and
     *     stop close it as they close the connections of its own listeners
     */
    public TurnClaim(TurnPipeline turn, EventLoopGroup relayLoops, ChannelGroup connections) {
        this.turn = turn;
        this.relayLoops = relayLoops;
        this.connections = connections;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (claimed) {
            return; // moving to the relay's loop: keep what arrives until the TURN handlers are in place
        }
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        boolean turnByAlpn = tls != null && ReloadingSslContext.ALPN_TURN.equals(tls.applicationProtocol());
        // Other ALPN values are not trusted: a TURN client offering http/1.1 too may have been given it.
        FirstBytes.Verdict verdict = turnByAlpn ? FirstBytes.Verdict.TURN : FirstBytes.classify(in);
        if (verdict == FirstBytes.Verdict.MORE) {
            return;
        }
        if (verdict != FirstBytes.Verdict.TURN) {
            ctx.pipeline().remove(this);
            return;
        }
        claimed = true;
        Channel channel = ctx.channel();
        List<String> after = new ArrayList<>();
        boolean found = false;
        for (Map.Entry<String, ChannelHandler> e : ctx.pipeline()) {
            if (found) {
                after.add(e.getKey());
            }
            found |= e.getValue() == this;
        }
        after.forEach(ctx.pipeline()::remove);
        Transport transport = tls != null ? Transport.TLS : Transport.TCP;
        if (relayLoops.iterator().hasNext() && isRelayLoop(channel.eventLoop())) {
            handOver(ctx, transport);
            return;
        }
        EventLoop target = relayLoops.next();
        channel.deregister().addListener(deregistered -> {
            if (!deregistered.isSuccess()) {
                channel.close();
                return;
            }
            target.register(channel).addListener(registered -> {
                if (registered.isSuccess()) {
                    handOver(ctx, transport);
                } else {
                    LOG.warn("cannot move a TURN connection from {} to the relay's event loop (the host's server and "
                            + "the relay must use the same Netty transport, both NIO or both epoll): {}",
                            channel.remoteAddress(), registered.cause().toString());
                    channel.close();
                }
            });
        });
    }

    private boolean isRelayLoop(EventLoop loop) {
        for (var executor : relayLoops) {
            if (executor == loop) {
                return true;
            }
        }
        return false;
    }

    /** On the relay's loop: the TURN handlers go in after this one, which then leaves and hands on what it read. */
    private void handOver(ChannelHandlerContext ctx, Transport transport) {
        ctx.channel().config().setMessageSizeEstimator(QueuedMemoryEstimator.INSTANCE);
        BatchedFlush.install(ctx.channel());
        connections.add(ctx.channel());
        turn.install(ctx.channel(), transport);
        ctx.pipeline().remove(this);
    }
}
