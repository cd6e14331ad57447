package dev.tern.admin;

import dev.tern.admin.metrics.PrometheusMetrics;
import dev.tern.api.Tern;
import dev.tern.guard.BindFailure;
import dev.tern.guard.ListenerGuard;
import dev.tern.guard.RequestHeadDeadline;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.HttpServerCodec;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Metrics, health and the admin page, on a small Netty HTTP server behind the same
 * {@link ListenerGuard} as every TCP listener of Tern ({@code connections}: caps per address and in total,
 * a deadline for the request headers, an idle timeout; the process's descriptor reserve):
 * <ul>
 *   <li>{@code GET /metrics}: Prometheus text format (token required when one is set);</li>
 *   <li>{@code GET /health/live}, {@code GET /health/ready} (and {@code /health}): never need the token;</li>
 *   <li>{@code GET /admin}: the admin page (static HTML and JavaScript, no data, no token needed);</li>
 *   <li>{@code GET /admin/api/allocations}, {@code GET /admin/api/status}, {@code GET /admin/api/history} (the
 *   charts and fleet table): JSON (token required when set);</li>
 *   <li>{@code POST /admin/api/drain}: starts the host's {@link RelayDrain} (token required when set).</li>
 * </ul>
 *
 * <pre>
 * PrometheusMetrics metrics = new PrometheusMetrics();   // hand it to providers as their MetricsRecorder
 * metrics.watch(relay);                                   // once the relay exists
 * try (AdminServer admin = AdminServer.start(AdminConfig.defaults(), tern, metrics, Clock.systemUTC())) {
 *     ...
 * }
 * </pre>
 *
 * <p>Thread-safe. {@link #close()} stops serving at once and is idempotent. A non-loopback address
 * without a token is refused by {@link AdminConfig} already.
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    /** Every admin request is a GET or a bodiless POST; a body is never needed. */
    private static final int MAX_CONTENT = 16 * 1024;

    private final EventLoopGroup group;
    private final Channel channel;
    private final AdminHttp http;
    private final AtomicInteger closed = new AtomicInteger();

    private AdminServer(EventLoopGroup group, Channel channel, AdminHttp http) {
        this.group = group;
        this.channel = channel;
        this.http = http;
    }

    /**
     * Binds {@code config.listen()} and starts serving.
     *
     * @throws IllegalArgumentException if {@code config.enabled()} is false
     * @throws IOException if the address cannot be bound (the message names it, like
     *     {@code http://127.0.0.1:9090: address already in use})
     */
    public static AdminServer start(AdminConfig config, Tern tern, PrometheusMetrics metrics, Clock clock)
            throws IOException {
        return start(config, tern, metrics, clock, Optional.empty());
    }

    /**
     * Binds {@code config.listen()} and starts serving, with {@code POST /admin/api/drain} starting {@code drain}.
     *
     * @throws IllegalArgumentException if {@code config.enabled()} is false
     * @throws IOException if the address cannot be bound
     */
    public static AdminServer start(AdminConfig config, Tern tern, PrometheusMetrics metrics, Clock clock,
            Optional<RelayDrain> drain) throws IOException {
        Objects.requireNonNull(tern, "tern");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(clock, "clock");
        if (!config.enabled()) {
            throw new IllegalArgumentException("admin is disabled (admin.enabled: false); do not start it");
        }
        AdminHttp http = AdminHttp.create(config, tern, metrics, clock, drain);
        ListenerGuard guard = ListenerGuard.create("admin", config.connections(), clock, metrics);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        Channel channel;
        try {
            channel = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            guard.guard(ch.pipeline());
                            RequestHeadDeadline deadline = guard.requestHeadDeadline(msg -> msg instanceof HttpRequest,
                                    msg -> msg instanceof LastHttpContent, "HTTP request header");
                            ch.pipeline()
                                    .addLast("header-bytes", deadline.bytes())
                                    .addLast("http", new HttpServerCodec(new HttpDecoderConfig()
                                            .setMaxInitialLineLength(8192).setMaxHeaderSize(8192)))
                                    .addLast("header-deadline", deadline.messages())
                                    .addLast("aggregate", new HttpObjectAggregator(MAX_CONTENT))
                                    .addLast("admin", http.handler());
                        }
                    })
                    .bind(config.listenAddress()).syncUninterruptibly().channel();
        } catch (Exception e) { // Netty rethrows the checked BindException undeclared
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            http.close();
            throw new IOException(BindFailure.message(config.listen(), e), e);
        }
        AdminServer admin = new AdminServer(group, channel, http);
        LOG.info("Admin server on {} (metrics, health, admin page{})", admin.uri(),
                config.token() != null ? "; admin token required" : "; loopback only, no token");
        return admin;
    }

    /** The bound address (with the real port when 0 was asked). */
    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** The base URI, like {@code http://127.0.0.1:9090/}. */
    public URI uri() {
        InetSocketAddress a = address();
        String host = a.getAddress().getHostAddress();
        return URI.create("http://" + (a.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":"
                + a.getPort() + "/");
    }

    @Override
    public void close() {
        if (closed.getAndIncrement() == 0) {
            channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            // A quiet period, so that an answer still being written goes out: the drain a POST /admin/api/drain
            // starts may stop this server before its own 202 is written (a relay with nothing to drain stops at once).
            group.shutdownGracefully(200, 2000, TimeUnit.MILLISECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
            http.close();
        }
    }
}
