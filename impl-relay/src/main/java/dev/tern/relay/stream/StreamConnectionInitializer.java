package dev.tern.relay.stream;

import dev.tern.api.Transport;
import dev.tern.relay.RelayConfig;
import dev.tern.guard.ListenerGuard;
import dev.tern.relay.allocation.AllocationTable;
import dev.tern.relay.codec.ChannelData;
import dev.tern.relay.server.RelayRuntime;
import dev.tern.relay.server.StunRequestHandler;
import dev.tern.relay.tls.ReloadingSslContext;
import dev.tern.relay.transport.BatchedFlush;
import dev.tern.relay.transport.ClientDataHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;

/**
 * The pipeline of one TCP or TLS client connection, as a list of small handlers:
 * the {@link ListenerGuard}'s caps and idle timeout (caps shared by every stream listener), TLS ({@code tls://}: always; {@code tls+tcp://}:
 * {@link TlsSniffer} decides), {@link StreamFrameDecoder} / {@link StreamFrameEncoder},
 * the guard's first-message deadline, then the same {@link ClientDataHandler} and {@link StunRequestHandler}
 * as UDP, with an allocation table of the connection's own (its one allocation, keyed by the client's
 * address on this connection: the 5-tuple).
 *
 * <p>Sharable and thread-safe: it keeps no per-connection state itself.
 */
@ChannelHandler.Sharable
public final class StreamConnectionInitializer extends ChannelInitializer<SocketChannel> {

    /** How a listener's connections start. */
    public enum Security { PLAIN, TLS, SNIFF }

    private final RelayRuntime runtime;
    private final RelayConfig.Tcp limits;
    private final ListenerGuard guard;
    private final ReloadingSslContext tls;
    private final Security security;
    private final ChannelGroup connections;

    /**
     * @param tls the TLS context, or {@code null} for {@link Security#PLAIN}
     * @param connections where open connections are tracked (for drain and stop)
     */
    public StreamConnectionInitializer(RelayRuntime runtime, RelayConfig.Tcp limits, ListenerGuard guard,
            ReloadingSslContext tls, Security security, ChannelGroup connections) {
        if (security != Security.PLAIN && tls == null) {
            throw new IllegalArgumentException("a TLS listener needs a TLS context");
        }
        this.runtime = runtime;
        this.limits = limits;
        this.guard = guard;
        this.tls = tls;
        this.security = security;
        this.connections = connections;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        connections.add(ch);
        ch.config().setMessageSizeEstimator(QueuedMemoryEstimator.INSTANCE);
        BatchedFlush.install(ch);
        AllocationTable table = new AllocationTable();
        StunRequestHandler stun = new StunRequestHandler(runtime, table,
                security == Security.TLS ? Transport.TLS : Transport.TCP);
        ChannelPipeline p = ch.pipeline();
        guard.guard(p);
        if (security == Security.TLS) {
            p.addLast("tls", tls.newHandler(ch.alloc()));
        } else if (security == Security.SNIFF) {
            p.addLast("sniff", new TlsSniffer(tls, () -> stun.transport(Transport.TLS)));
        }
        p.addLast("frames", new StreamFrameDecoder(limits.maxMessageSize(), runtime.clientLog()));
        p.addLast("frames-out", StreamFrameEncoder.INSTANCE);
        p.addLast("first-message", guard.firstMessageDeadline(
                msg -> msg instanceof DatagramPacket packet && !ChannelData.looksLikeChannelData(packet.content()),
                "STUN message"));
        p.addLast("channel-data", new ClientDataHandler(table, runtime.ownAddresses(), runtime.nanoTime()));
        p.addLast("stun", stun);
    }
}
