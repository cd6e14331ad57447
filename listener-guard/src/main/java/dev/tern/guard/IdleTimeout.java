package dev.tern.guard;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection that has carried no traffic either way for the idle timeout (closing it deletes
 * its allocation, RFC 8656 section 7).
 *
 * <p>Not sharable: one per connection, on its event loop.
 */
public final class IdleTimeout extends IdleStateHandler {

    public IdleTimeout(Duration timeout) {
        super(0, 0, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        ctx.close();
    }
}
