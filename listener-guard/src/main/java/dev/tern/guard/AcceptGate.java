package dev.tern.guard;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import java.net.InetSocketAddress;

/**
 * Sits in a TCP listener's own pipeline (the server channel's, before Netty hands a new connection to an event
 * loop) and resets at once a connection that {@link ConnectionLimits} would refuse for a cap: its client address
 * already has its share open, or the listener its total. Such a connection is never registered and gets no
 * pipeline (no TLS engine, decoder or timers), and it is closed with {@code SO_LINGER} 0 (a reset: no FIN_WAIT or
 * TIME_WAIT state left behind). A flood from one address thus costs the listener an accept and a close each, so the
 * listener empties the kernel's accept queue as fast as the flood fills it and another address's connection, queued
 * behind the flood, is reached in time.
 *
 * <p>It checks without taking a place: {@link ConnectionLimits} still counts, and may refuse, what it lets through.
 * Each reset is counted and logged as {@link ConnectionLimits}' own refusals are.
 *
 * <p>Sharable and thread-safe.
 */
@ChannelHandler.Sharable
final class AcceptGate extends ChannelInboundHandlerAdapter {

    private final ConnectionLimits limits;

    AcceptGate(ConnectionLimits limits) {
        this.limits = limits;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Channel child && child.remoteAddress() instanceof InetSocketAddress from
                && limits.full(from.getAddress())) {
            reset(child);
            limits.refusedOverLimit(from.getAddress());
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /** Closes a connection that was accepted but never registered, with a reset. */
    private static void reset(Channel child) {
        try {
            child.config().setOption(ChannelOption.SO_LINGER, 0);
        } catch (RuntimeException e) {
            // the close below still frees it, with a FIN instead of a reset
        }
        child.unsafe().closeForcibly();
    }
}
