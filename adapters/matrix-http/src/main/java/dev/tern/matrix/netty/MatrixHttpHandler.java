package dev.tern.matrix.netty;

import dev.tern.guard.SourceAddress;
import dev.tern.matrix.http.MatrixEndpoints;
import dev.tern.matrix.http.MatrixRequest;
import dev.tern.matrix.http.MatrixResponse;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty binding: put it after an {@code HttpServerCodec} and an {@code HttpObjectAggregator}
 * ({@link MatrixHttpServer#pipeline} does). It hands each request to {@link MatrixEndpoints} and writes the
 * answer when it is ready, without blocking the event loop. A request the codec could not decode gets 431
 * (header block too large), 414 (request line too long) or 400, and the connection is closed.
 *
 * <p>Stateless and {@link ChannelHandler.Sharable}: one instance serves every channel.
 */
@ChannelHandler.Sharable
public final class MatrixHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(MatrixHttpHandler.class);

    private final MatrixEndpoints endpoints;

    public MatrixHttpHandler(MatrixEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        DecoderResult decoded = request.decoderResult();
        if (decoded.isFailure()) {
            refuse(ctx, decoded.cause());
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        MatrixRequest matrixRequest = toMatrix(ctx, request);
        endpoints.handle(matrixRequest).thenAccept(response -> write(ctx, response, keepAlive));
    }

    private static MatrixRequest toMatrix(ChannelHandlerContext ctx, FullHttpRequest request) {
        String uri = request.uri();
        int q = uri.indexOf('?');
        Map<String, List<String>> headers = new LinkedHashMap<>();
        request.headers().forEach(h -> headers.computeIfAbsent(h.getKey(), k -> new ArrayList<>()).add(h.getValue()));
        // The TCP peer, or the client a trusted proxy named in a PROXY protocol header on a port shared with TURN.
        InetAddress remote = SourceAddress.of(ctx.channel()).getAddress();
        return new MatrixRequest(request.method().name(), q < 0 ? uri : uri.substring(0, q),
                q < 0 ? "" : uri.substring(q + 1), headers, remote);
    }

    private void refuse(ChannelHandlerContext ctx, Throwable cause) {
        MatrixResponse response;
        if (cause instanceof TooLongHttpHeaderException) {
            response = endpoints.error(431, "M_UNKNOWN", "Request header fields too large");
        } else if (cause instanceof TooLongHttpLineException) {
            response = endpoints.error(414, "M_UNKNOWN", "Request line too long");
        } else if (cause instanceof TooLongFrameException) {
            response = endpoints.error(413, "M_TOO_LARGE", "Request too large");
        } else {
            response = endpoints.error(400, "M_UNKNOWN", "Bad request");
        }
        LOG.debug("Refused an undecodable request from {}: {}", ctx.channel().remoteAddress(),
                cause == null ? "?" : cause.getClass().getSimpleName());
        write(ctx, response, false);
    }

    private static void write(ChannelHandlerContext ctx, MatrixResponse response, boolean keepAlive) {
        FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(response.status()), Unpooled.wrappedBuffer(response.body()));
        response.headers().forEach(out.headers()::set);
        out.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.bodyLength());
        if (keepAlive) {
            out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(out, ctx.voidPromise());
        } else {
            out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("Closing {} after {}", ctx.channel().remoteAddress(), cause.getClass().getSimpleName());
        ctx.close();
    }
}
