package dev.tern.admin.netty;

import com.sun.net.httpserver.Filter;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one aggregated admin request: finds its {@link AdminRoutes.Route}, runs the route's filters and
 * handler on the executor (they may block: the readiness check waits for the policy), and writes what they
 * answered. A request whose decoding failed gets 400 and the connection is closed.
 *
 * <p>Sharable and thread-safe.
 */
@ChannelHandler.Sharable
public final class AdminHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(AdminHttpHandler.class);

    private final AdminRoutes routes;
    private final Executor executor;

    public AdminHttpHandler(AdminRoutes routes, Executor executor) {
        this.routes = routes;
        this.executor = executor;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        URI uri;
        try {
            uri = new URI(request.uri());
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (!request.decoderResult().isSuccess() || uri == null || uri.getRawPath() == null) {
            write(ctx, new BufferedExchange.Answer(400, new com.sun.net.httpserver.Headers(), null), false, false);
            return;
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        request.headers().forEach(h -> headers.computeIfAbsent(h.getKey(), k -> new ArrayList<>()).add(h.getValue()));
        byte[] body = ByteBufUtil.getBytes(request.content());
        boolean head = request.method().name().equals("HEAD");
        BufferedExchange exchange = new BufferedExchange(
                new BufferedExchange.Request(request.method().name(), uri, request.protocolVersion().text(), headers,
                        body),
                new BufferedExchange.Endpoints((InetSocketAddress) ctx.channel().remoteAddress(),
                        (InetSocketAddress) ctx.channel().localAddress()),
                answer -> write(ctx, answer, keepAlive, head));
        String path = uri.getPath();
        try {
            executor.execute(() -> handle(exchange, path));
        } catch (RejectedExecutionException stopping) {
            exchange.close();
        }
    }

    private void handle(BufferedExchange exchange, String path) {
        try (exchange) {
            AdminRoutes.Route route = routes.find(path).orElse(null);
            if (route == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            new Filter.Chain(route.filters(), route.handler()).doFilter(exchange);
        } catch (Exception | Error e) {
            LOG.warn("admin request for {} failed: {}", path, e.toString());
        }
    }

    private static void write(ChannelHandlerContext ctx, BufferedExchange.Answer answer, boolean keepAlive,
            boolean head) {
        byte[] body = answer.body() == null || head ? new byte[0] : answer.body();
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(answer.status()), Unpooled.wrappedBuffer(body));
        answer.headers().forEach((name, values) -> response.headers().add(name, values));
        if (!head || answer.body() == null) {
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        } else {
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, answer.body().length);
        }
        HttpUtil.setKeepAlive(response, keepAlive);
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("closing admin connection {}: {}", ctx.channel().remoteAddress(), cause.getClass().getSimpleName());
        ctx.close();
    }
}
