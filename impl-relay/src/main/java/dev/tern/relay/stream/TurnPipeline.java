package dev.tern.relay.stream;

import dev.tern.spi.Transport;
import dev.tern.guard.ListenerGuard;
import dev.tern.relay.RelayConfig;
import dev.tern.relay.allocation.AllocationTable;
import dev.tern.relay.server.RelayRuntime;
import dev.tern.relay.server.StunRequestHandler;
import dev.tern.relay.transport.ClientDataHandler;
import dev.tern.stun.ChannelData;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.DatagramPacket;

/**
 * The TURN half of a stream connection's pipeline, added at its end once the connection is known to carry TURN
 * (at once on {@code tcp://} and {@code tls://} listeners, after the first bytes on a port shared with HTTP):
 * {@link StreamFrameDecoder} / {@link StreamFrameEncoder}, the guard's first-message deadline, then the same
 * {@link ClientDataHandler} and {@link StunRequestHandler} as UDP, with an allocation table of the connection's
 * own (its one allocation, keyed by the client's address on this connection: the 5-tuple).
 *
 * <p>Thread-safe and stateless itself; {@link #install} runs on the connection's event loop.
 */
public final class TurnPipeline {

    private final RelayRuntime runtime;
    private final RelayConfig.Tcp limits;
    private final ListenerGuard guard;

    public TurnPipeline(RelayRuntime runtime, RelayConfig.Tcp limits, ListenerGuard guard) {
        this.runtime = runtime;
        this.limits = limits;
        this.guard = guard;
    }

    /**
     * Adds the TURN handlers at the end of {@code channel}'s pipeline.
     *
     * @param transport what the connection's allocation reports: {@link Transport#TCP} or {@link Transport#TLS}
     * @return the STUN handler, whose transport a listener that sniffs TLS may still change
     */
    public StunRequestHandler install(Channel channel, Transport transport) {
        AllocationTable table = new AllocationTable();
        StunRequestHandler stun = new StunRequestHandler(runtime, table, transport);
        ChannelPipeline p = channel.pipeline();
        p.addLast("frames", new StreamFrameDecoder(limits.maxMessageSize(), runtime.observers().clientLog()));
        p.addLast("frames-out", StreamFrameEncoder.INSTANCE);
        p.addLast("first-message", guard.firstMessageDeadline(
                msg -> msg instanceof DatagramPacket packet && !ChannelData.looksLikeChannelData(packet.content()),
                "STUN message"));
        p.addLast("channel-data", new ClientDataHandler(table, runtime.planes().ownAddresses(), runtime.nanoTime()));
        p.addLast("stun", stun);
        return stun;
    }

    /** The guard of the relay's stream connections (caps, descriptor reserve, deadlines). */
    public ListenerGuard guard() {
        return guard;
    }

    /** The relay's runtime (its client log throttle, clock). */
    public RelayRuntime runtime() {
        return runtime;
    }

    /** The stream limits ({@code relay.tcp}). */
    public RelayConfig.Tcp limits() {
        return limits;
    }
}
