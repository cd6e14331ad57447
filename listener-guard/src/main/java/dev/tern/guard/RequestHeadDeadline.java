package dev.tern.guard;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
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
 * A deadline for the head (for HTTP: the request line and headers) of every request on a keep-alive connection,
 * not only the first: the first head must be complete within the deadline after the connection was accepted,
 * and each later one within the deadline after its first byte arrived. A client that sends one good request and
 * then trickles the next one's headers for ever is closed at the deadline. Between requests (after a request's
 * end, before the next byte) the connection is left to the idle timeout.
 *
 * <p>Two handlers share the state: {@link #bytes()} goes in front of the decoder (it sees the first byte of a
 * request), {@link #messages()} after it (it sees a head complete and a request's end).
 *
 * <pre>
 * RequestHeadDeadline deadline = guard.requestHeadDeadline(m -&gt; m instanceof HttpRequest,
 *         m -&gt; m instanceof LastHttpContent, "HTTP request header");
 * pipeline.addLast("head-bytes", deadline.bytes()).addLast("http", new HttpServerCodec())
 *         .addLast("header-deadline", deadline.messages());
 * </pre>
 *
 * <p>Not sharable: one per connection, on its event loop.
 */
public final class RequestHeadDeadline {

    private static final Logger LOG = LoggerFactory.getLogger(RequestHeadDeadline.class);

    private enum State { AWAITING_HEAD, IN_HEAD, IN_BODY }

    private final long deadlineNanos;
    private final Predicate<Object> head;
    private final Predicate<Object> end;
    private final String what;
    private final ClientLogThrottle log;
    private final Bytes bytes = new Bytes();
    private final Messages messages = new Messages();
    private State state = State.IN_HEAD;
    private ScheduledFuture<?> timer;

    /**
     * @param head whether a decoded message is a complete request head
     * @param end whether a decoded message ends a request (a message may be both)
     * @param what the head, for the debug line, like {@code HTTP request header}
     * @param log throttles the debug line (one per client address and minute)
     */
    public RequestHeadDeadline(Duration deadline, Predicate<Object> head, Predicate<Object> end, String what,
            ClientLogThrottle log) {
        this.deadlineNanos = deadline.toNanos();
        this.head = Objects.requireNonNull(head, "head");
        this.end = Objects.requireNonNull(end, "end");
        this.what = Objects.requireNonNull(what, "what");
        this.log = Objects.requireNonNull(log, "log");
    }

    /** The handler to put in front of the decoder; arms the deadline at accept and at a request's first byte. */
    public ChannelHandler bytes() {
        return bytes;
    }

    /** The handler to put after the decoder; stops the deadline when a head is complete. */
    public ChannelHandler messages() {
        return messages;
    }

    private void arm(ChannelHandlerContext ctx) {
        state = State.IN_HEAD;
        timer = ctx.executor().schedule(() -> {
            if (LOG.isDebugEnabled()) {
                log.admit("request-head", String.valueOf(ctx.channel().remoteAddress())).ifPresent(line -> LOG.debug(
                        "closing {}: no complete {} in time ({} since the last such line)", line.key(), what,
                        line.count()));
            }
            ctx.close();
        }, deadlineNanos, TimeUnit.NANOSECONDS);
    }

    private void disarm() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private final class Bytes extends ChannelInboundHandlerAdapter {

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            arm(ctx);
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            disarm();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (state == State.AWAITING_HEAD && msg instanceof ByteBuf buf && buf.isReadable()) {
                arm(ctx);
            }
            ctx.fireChannelRead(msg);
        }
    }

    private final class Messages extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (state == State.IN_HEAD && head.test(msg)) {
                disarm();
                state = State.IN_BODY;
            }
            if (state == State.IN_BODY && end.test(msg)) {
                state = State.AWAITING_HEAD;
            }
            ctx.fireChannelRead(msg);
        }
    }
}
