package dev.tern.guard;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection that has not delivered its first complete message (a STUN request; HTTP request
 * headers) within the deadline after it was accepted (TLS handshake included), so a client trickling bytes,
 * or none, cannot pin a file descriptor. Sits after the decoder and removes itself once the first message
 * arrives.
 *
 * <p>Not sharable: one per connection, on its event loop.
 */
public final class FirstMessageDeadline extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(FirstMessageDeadline.class);

    private final long deadlineNanos;
    private final Predicate<Object> first;
    private final String what;
    private final ClientLogThrottle log;
    private ScheduledFuture<?> timer;

    /**
     * @param first whether a decoded message is the first one that counts
     * @param what the message, for the debug line, like {@code STUN message}
     * @param log throttles the debug line (one per client address and minute)
     */
    public FirstMessageDeadline(Duration deadline, Predicate<Object> first, String what, ClientLogThrottle log) {
        this.deadlineNanos = deadline.toNanos();
        this.first = Objects.requireNonNull(first, "first");
        this.what = Objects.requireNonNull(what, "what");
        this.log = Objects.requireNonNull(log, "log");
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        timer = ctx.executor().schedule(() -> {
            if (LOG.isDebugEnabled()) {
                log.admit("first-message", String.valueOf(ctx.channel().remoteAddress())).ifPresent(line -> LOG.debug(
                        "closing {}: no complete {} in time ({} since the last such line)", line.key(), what,
                        line.count()));
            }
            ctx.close();
        }, deadlineNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        timer.cancel(false);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (first.test(msg)) {
            ctx.pipeline().remove(this);
        }
        ctx.fireChannelRead(msg);
    }
}
