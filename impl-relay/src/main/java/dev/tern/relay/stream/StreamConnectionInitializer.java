package dev.tern.relay.stream;

import dev.tern.spi.Transport;
import dev.tern.guard.ListenerGuard;
import dev.tern.relay.server.StunRequestHandler;
import dev.tern.relay.proxy.ProxyProtocolGate;
import dev.tern.relay.tls.ReloadingSslContext;
import dev.tern.relay.transport.BatchedFlush;
import dev.tern.relay.transport.ClientDataHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import java.util.Optional;

/**
 * The pipeline of one TCP or TLS client connection, as a list of small handlers:
 * the {@link ListenerGuard}'s caps and idle timeout (caps shared by every stream listener), the PROXY protocol
 * header of a trusted proxy when configured ({@link ProxyProtocolGate}), TLS ({@code tls://}: always;
 * {@code tls+tcp://}: {@link TlsSniffer} decides), then the {@link TurnPipeline}: framing, the guard's
 * first-message deadline, and the same {@link ClientDataHandler} and {@link StunRequestHandler} as UDP.
 *
 * <p>Sharable and thread-safe: it keeps no per-connection state itself.
 */
@ChannelHandler.Sharable
public final class StreamConnectionInitializer extends ChannelInitializer<SocketChannel> {

    /** How a listener's connections start. */
    public enum Security { PLAIN, TLS, SNIFF }

    private final TurnPipeline turn;
    private final ReloadingSslContext tls;
    private final Security security;
    private final ChannelGroup connections;
    private final Optional<ProxyProtocolGate.Factory> proxies;

    /**
     * @param tls the TLS context, or {@code null} for {@link Security#PLAIN}
     * @param connections where open connections are tracked (for drain and stop)
     * @param proxies reads PROXY protocol headers from trusted proxies, when configured
     */
    public StreamConnectionInitializer(TurnPipeline turn, ReloadingSslContext tls, Security security,
            ChannelGroup connections, Optional<ProxyProtocolGate.Factory> proxies) {
        if (security != Security.PLAIN && tls == null) {
            throw new IllegalArgumentException("a TLS listener needs a TLS context");
        }
        this.turn = turn;
        this.tls = tls;
        this.security = security;
        this.connections = connections;
        this.proxies = proxies;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        prepare(ch, connections);
        ChannelPipeline p = ch.pipeline();
        turn.guard().guard(p);
        proxies.ifPresent(gate -> p.addLast("proxy", gate.newGate()));
        if (security == Security.TLS) {
            p.addLast("tls", tls.newHandler(ch.alloc()));
        }
        StunRequestHandler stun = turn.install(ch, security == Security.TLS ? Transport.TLS : Transport.TCP);
        if (security == Security.SNIFF) {
            p.addBefore("frames", "sniff", new TlsSniffer(tls, () -> stun.transport(Transport.TLS)));
        }
    }

    /** What every relay stream connection gets first: tracking, the memory-based write queue size, batched flushes. */
    public static void prepare(SocketChannel ch, ChannelGroup connections) {
        connections.add(ch);
        ch.config().setMessageSizeEstimator(QueuedMemoryEstimator.INSTANCE);
        BatchedFlush.install(ch);
    }
}
