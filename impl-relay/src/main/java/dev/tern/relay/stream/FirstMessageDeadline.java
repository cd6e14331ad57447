package dev.tern.relay.stream;

import dev.tern.relay.codec.ChannelData;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection that has not delivered a complete STUN message within the deadline after it was
 * accepted (TLS handshake included), so a client trickling bytes, or none, cannot pin a file descriptor.
 * Removes itself once the first STUN message arrives.
 *
 * <p>Not sharable: one per connection, on its event loop.
 */
public final class FirstMessageDeadline extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(FirstMessageDeadline.class);

    private final long deadlineNanos;
    private ScheduledFuture<?> timer;

    public FirstMessageDeadline(Duration deadline) {
        this.deadlineNanos = deadline.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        timer = ctx.executor().schedule(() -> {
            LOG.debug("closing {}: no complete STUN message in time", ctx.channel().remoteAddress());
            ctx.close();
        }, deadlineNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        timer.cancel(false);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof DatagramPacket packet && !ChannelData.looksLikeChannelData(packet.content())) {
            ctx.pipeline().remove(this);
        }
        ctx.fireChannelRead(msg);
    }
}
