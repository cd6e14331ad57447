package dev.tern.guard;

import dev.tern.spi.MetricsRecorder;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * What every TCP listener of Tern puts in front of its connections: the caps and the descriptor reserve
 * ({@link ConnectionLimits}, shared by the listener's connections), an {@link IdleTimeout} and a
 * {@link FirstMessageDeadline}. One per listener (or per group of listeners sharing caps, as the relay's
 * TCP and TLS listeners do).
 *
 * <pre>
 * ListenerGuard guard = ListenerGuard.create("http", limits, clock, metrics);
 * serverBootstrap.handler(guard.acceptGate()); // resets connections over a cap before they get a pipeline
 * // in the ChannelInitializer:
 * guard.guard(pipeline);                      // first: caps, reserve, idle timeout
 * RequestHeadDeadline deadline = guard.requestHeadDeadline(msg -&gt; msg instanceof HttpRequest,
 *         msg -&gt; msg instanceof LastHttpContent, "HTTP request header");
 * pipeline.addLast(deadline.bytes()).addLast(new HttpServerCodec()).addLast(deadline.messages());
 * </pre>
 *
 * <p>Thread-safe.
 */
public final class ListenerGuard {

    private final ConnectionLimits counter;
    private final ClientLogThrottle log;
    private final Duration firstMessageTimeout;
    private final Duration idleTimeout;
    private final AcceptGate gate;

    /** @param log throttles the deadline's lines (the caps log through their own) */
    public ListenerGuard(ConnectionLimits counter, ClientLogThrottle log, Duration firstMessageTimeout,
            Duration idleTimeout) {
        this.counter = counter;
        this.log = log;
        this.firstMessageTimeout = firstMessageTimeout;
        this.idleTimeout = idleTimeout;
        this.gate = new AcceptGate(counter);
    }

    /**
     * A guard for an HTTP listener: its own caps, the process's {@link DescriptorReserve#forHttp} and a per-minute
     * {@link ClientLogThrottle} for its refusal lines.
     *
     * @param listener {@code turn}, {@code http} or {@code admin}: for log lines and the metric's tag
     */
    public static ListenerGuard create(String listener, ListenerLimits limits, Clock clock, MetricsRecorder metrics) {
        ClientLogThrottle log = ClientLogThrottle.perMinute(clock);
        return new ListenerGuard(new ConnectionLimits(listener, limits.max(), limits.maxPerAddress(),
                DescriptorReserve.forHttp(), log, metrics), log, limits.headerTimeout(), limits.idleTimeout());
    }

    /**
     * What to put in the listener's own pipeline ({@code ServerBootstrap.handler}): resets a new connection over a cap
     * before it is registered or gets a pipeline, so that a flood from one address is cheap to turn away and the
     * accept queue keeps moving for others. The caps in {@link #guard} still count what it lets through.
     */
    public ChannelHandler acceptGate() {
        return gate;
    }

    /** Adds the caps ({@code "limits"}) and the idle timeout ({@code "idle"}) at the end of a new connection's pipeline. */
    public void guard(ChannelPipeline pipeline) {
        pipeline.addLast("limits", counter);
        pipeline.addLast("idle", new IdleTimeout(idleTimeout));
    }

    /**
     * Takes over a connection another guard accepted (and counts, against its own caps): swaps the
     * {@code "idle"} timeout that guard put in for this guard's. For a shared port whose connections turn out to
     * be HTTP once their first bytes are read.
     */
    public void adopt(ChannelPipeline pipeline) {
        if (pipeline.get("idle") != null) {
            pipeline.replace("idle", "idle", new IdleTimeout(idleTimeout));
        } else {
            pipeline.addFirst("idle", new IdleTimeout(idleTimeout));
        }
    }

    /** A deadline for the connection's first message, to put after its decoder. */
    public FirstMessageDeadline firstMessageDeadline(Predicate<Object> first, String what) {
        return new FirstMessageDeadline(firstMessageTimeout, first, what, log);
    }

    /**
     * A deadline for the head of every request of a keep-alive connection (HTTP: the first from accept, each later
     * one from its first byte), to put around the decoder.
     */
    public RequestHeadDeadline requestHeadDeadline(Predicate<Object> head, Predicate<Object> end, String what) {
        return new RequestHeadDeadline(firstMessageTimeout, head, end, what, log);
    }

    /** The number of connections open now. */
    public int open() {
        return counter.open();
    }
}
