package dev.tern.matrix.netty;

import dev.tern.guard.ListenerGuard;
import dev.tern.guard.RequestHeadDeadline;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;

/**
 * The HTTP handlers of a connection that serves a {@code FullHttpRequest} handler (the Matrix endpoints'
 * {@link MatrixHttpHandler}, or a router in front of it), over HTTP/1.1 or HTTP/2 with the same limits: the
 * longest request line and header block, a deadline for each request's headers ({@link ListenerGuard}) and
 * a 16 KiB cap on bodies. Over HTTP/2 each stream is a child channel whose frames Netty's
 * {@link Http2StreamFrameToHttpObjectCodec} turns into the same {@code FullHttpRequest} and back, so the handler
 * is the same for both (its {@code Connection} header is dropped on the way out, as HTTP/2 forbids it).
 *
 * <p>Stateless; call on the connection's event loop while setting it up. The handler must be sharable.
 */
public final class HttpPipelines {

    /** Requests are GETs; a body is never needed, so a small cap is enough. */
    static final int MAX_CONTENT = 16 * 1024;
    /** Streams one HTTP/2 connection may have open at once. */
    static final int MAX_CONCURRENT_STREAMS = 100;

    private HttpPipelines() {
    }

    /**
     * Adds HTTP/1.1: codec, the header deadline of every request of a keep-alive connection (the first head from
     * accept, each later one from the end of the previous request), aggregator, {@code handler}.
     */
    public static void http1(ChannelPipeline pipeline, ChannelHandler handler, int maxHeaderSize, ListenerGuard guard) {
        RequestHeadDeadline deadline = guard.requestHeadDeadline(msg -> msg instanceof HttpRequest,
                msg -> msg instanceof LastHttpContent, "HTTP request header");
        pipeline.addLast("header-bytes", deadline.bytes())
                .addLast("http", new HttpServerCodec(new HttpDecoderConfig()
                        .setMaxInitialLineLength(8192)
                        .setMaxHeaderSize(maxHeaderSize)))
                .addLast("header-deadline", deadline.messages())
                .addLast("aggregate", new HttpObjectAggregator(MAX_CONTENT))
                .addLast("app", handler);
    }

    /**
     * Adds HTTP/2 (after ALPN {@code h2}, or the connection preface without TLS): the frame codec with the header
     * list limit and at most {@value #MAX_CONCURRENT_STREAMS} streams, the deadline for the first HEADERS frame,
     * and per stream the conversion to {@code FullHttpRequest}, the aggregator and {@code handler}.
     */
    public static void http2(ChannelPipeline pipeline, ChannelHandler handler, int maxHeaderSize, ListenerGuard guard) {
        pipeline.addLast("http2", Http2FrameCodecBuilder.forServer()
                        .initialSettings(Http2Settings.defaultSettings()
                                .maxHeaderListSize(maxHeaderSize)
                                .maxConcurrentStreams(MAX_CONCURRENT_STREAMS))
                        .build())
                .addLast("header-deadline", guard.firstMessageDeadline(msg -> msg instanceof Http2HeadersFrame,
                        "HTTP/2 request header"))
                .addLast("streams", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                    @Override
                    protected void initChannel(Http2StreamChannel stream) {
                        stream.pipeline()
                                .addLast("http", new Http2StreamFrameToHttpObjectCodec(true))
                                .addLast("aggregate", new HttpObjectAggregator(MAX_CONTENT))
                                .addLast("app", handler);
                    }
                }));
    }
}
