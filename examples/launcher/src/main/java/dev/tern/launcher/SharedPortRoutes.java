package dev.tern.launcher;

import dev.tern.admin.AdminHttp;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import java.util.Optional;

/**
 * Sends each request on the relay's shared port to the Matrix endpoints, or to the admin routes
 * ({@link AdminHttp#serves}: {@code /metrics}, {@code /health}, {@code /admin}) when they are served there too. Both
 * handlers are sharable and answer on the context they are called with, so this one hands over its own.
 *
 * <p>Sharable and thread-safe.
 */
@ChannelHandler.Sharable
final class SharedPortRoutes extends ChannelInboundHandlerAdapter {

    private final ChannelInboundHandler matrix;
    private final Optional<ChannelInboundHandler> admin;

    SharedPortRoutes(ChannelInboundHandler matrix, Optional<ChannelInboundHandler> admin) {
        this.matrix = matrix;
        this.admin = admin;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        ChannelInboundHandler target = matrix;
        if (admin.isPresent() && msg instanceof FullHttpRequest request) {
            String uri = request.uri();
            int query = uri.indexOf('?');
            if (AdminHttp.serves(query < 0 ? uri : uri.substring(0, query))) {
                target = admin.get();
            }
        }
        target.channelRead(ctx, msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        matrix.exceptionCaught(ctx, cause);
    }
}
