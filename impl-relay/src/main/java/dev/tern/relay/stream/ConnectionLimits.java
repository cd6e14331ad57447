package dev.tern.relay.stream;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts open stream connections, in total and per client IP, across every stream listener of a
 * relay, and closes a new connection at once when it would exceed either limit (before any TLS or
 * buffer is spent on it).
 *
 * <p>Sharable and thread-safe. Memory is bounded by the number of open connections.
 */
@ChannelHandler.Sharable
public final class ConnectionLimits extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimits.class);
    private static final AttributeKey<InetAddress> COUNTED = AttributeKey.valueOf(ConnectionLimits.class, "source");

    private final int maxTotal;
    private final int maxPerSource;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> perSource = new ConcurrentHashMap<>();
    private final AtomicInteger refused = new AtomicInteger();

    public ConnectionLimits(int maxTotal, int maxPerSource) {
        this.maxTotal = maxTotal;
        this.maxPerSource = maxPerSource;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetAddress source = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        if (!acquire(source)) {
            int n = refused.incrementAndGet();
            if ((n & (n - 1)) == 0) { // 1, 2, 4, 8...: a flood must not flood the log too
                LOG.warn("refused a TCP/TLS connection from {}: connection limit reached ({} refused so far)",
                        source.getHostAddress(), n);
            }
            ctx.close();
            return;
        }
        ctx.channel().attr(COUNTED).set(source);
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
     * Takes a place for a connection from {@code source}: its source's place first, then one of the
     * total, which only ever counts admitted connections ({@link #open()} never shows a connection
     * that is about to be refused).
     */
    private boolean acquire(InetAddress source) {
        boolean[] ok = {false};
        perSource.compute(source, (k, n) -> {
            int count = n == null ? 0 : n;
            ok[0] = count < maxPerSource;
            return ok[0] ? count + 1 : n;
        });
        if (!ok[0]) {
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
