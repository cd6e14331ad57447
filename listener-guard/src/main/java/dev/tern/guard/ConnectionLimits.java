package dev.tern.guard;

import dev.tern.spi.MetricsRecorder;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the open connections of one kind of listener (TURN TCP/TLS, Matrix HTTP, admin), in total and per
 * client IP, and closes a new connection at once (before any TLS, header or buffer is spent on it) when it
 * would exceed either cap or when the process's {@link DescriptorReserve} is reached, so that one port
 * flooded with idle connections cannot take descriptors from the others.
 *
 * <p>Each refusal counts {@value #REFUSED_METRIC} with the tags {@code listener} (the name given) and
 * {@code reason} ({@code limit} or {@code descriptors}); its log line goes through a
 * {@link ClientLogThrottle} (one per address per interval for caps, one per interval for the reserve).
 *
 * <p>Sharable and thread-safe. Memory is bounded by the number of open connections.
 */
@ChannelHandler.Sharable
public final class ConnectionLimits extends ChannelInboundHandlerAdapter {

    /** The counter of refused connections. */
    public static final String REFUSED_METRIC = "tern_connections_refused";

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimits.class);
    private static final AttributeKey<InetAddress> COUNTED = AttributeKey.valueOf(ConnectionLimits.class, "source");

    private final String listener;
    private final int maxTotal;
    private final int maxPerSource;
    private final DescriptorReserve reserve;
    private final ClientLogThrottle log;
    private final MetricsRecorder metrics;
    private final Map<String, String> limitTags;
    private final Map<String, String> reserveTags;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> perSource = new ConcurrentHashMap<>();

    /**
     * @param listener the listener, for log lines and the metric's tag: {@code turn}, {@code http} or {@code admin}
     * @param maxTotal the most open connections at once (at least 1)
     * @param maxPerSource the most from one IP address at once (at least 1)
     * @param reserve refuses every new connection while reached
     * @param log throttles the refusal lines
     * @param metrics where refusals are counted
     */
    public ConnectionLimits(String listener, int maxTotal, int maxPerSource, DescriptorReserve reserve,
            ClientLogThrottle log, MetricsRecorder metrics) {
        if (maxTotal < 1 || maxPerSource < 1) {
            throw new IllegalArgumentException("the caps must be at least 1");
        }
        this.listener = Objects.requireNonNull(listener, "listener");
        this.maxTotal = maxTotal;
        this.maxPerSource = maxPerSource;
        this.reserve = Objects.requireNonNull(reserve, "reserve");
        this.log = Objects.requireNonNull(log, "log");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.limitTags = Map.of("listener", listener, "reason", "limit");
        this.reserveTags = Map.of("listener", listener, "reason", "descriptors");
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetAddress source = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        if (!acquire(source)) {
            refusedOverLimit(source);
            ctx.close();
            return;
        }
        ctx.channel().attr(COUNTED).set(source);
        // Checked after the caps so that connections they refuse cost no descriptor count.
        if (reserve.reached()) {
            metrics.count(REFUSED_METRIC, reserveTags, 1);
            log.admit("descriptors", "").ifPresent(line -> LOG.warn(
                    "{}: refused a connection from {}: the process is down to its reserve of file descriptors, "
                            + "kept for the relay ({} refused since the last such line)",
                    listener, source.getHostAddress(), line.count()));
            ctx.close();
            return;
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        InetAddress source = ctx.channel().attr(COUNTED).getAndSet(null);
        if (source != null) {
            release(source);
        }
        ctx.fireChannelInactive();
    }

    /**
     * Whether a connection from {@code source} would be refused for a cap now: its source or the total is full.
     * Takes no place; {@link #channelActive} still decides for the connections it lets through.
     */
    boolean full(InetAddress source) {
        return perSource.getOrDefault(source, 0) >= maxPerSource || total.get() >= maxTotal;
    }

    /** Counts and logs (throttled) a connection from {@code source} refused for a cap. */
    void refusedOverLimit(InetAddress source) {
        metrics.count(REFUSED_METRIC, limitTags, 1);
        log.admit("limit", source.getHostAddress()).ifPresent(line -> LOG.warn(
                "{}: refused a connection from {}: connection limit reached ({} since the last such line)",
                listener, line.key(), line.count()));
    }

    /**
     * Takes a place for a connection from {@code source}: its source's place first, then one of the
     * total, which only ever counts admitted connections ({@link #open()} never shows a connection
     * that is about to be refused).
     */
    private boolean acquire(InetAddress source) {
        AtomicInteger before = new AtomicInteger(-1);
        perSource.compute(source, (k, n) -> {
            int count = n == null ? 0 : n;
            before.set(count);
            return count < maxPerSource ? count + 1 : n;
        });
        if (before.get() >= maxPerSource) {
            return false;
        }
        for (int t = total.get(); ; t = total.get()) {
            if (t >= maxTotal) {
                perSource.computeIfPresent(source, (k, n) -> n == 1 ? null : n - 1);
                return false;
            }
            if (total.compareAndSet(t, t + 1)) {
                return true;
            }
        }
    }

    private void release(InetAddress source) {
        perSource.computeIfPresent(source, (k, n) -> n == 1 ? null : n - 1);
        total.decrementAndGet();
    }

    /** The number of open connections counted. */
    public int open() {
        return total.get();
    }
}
