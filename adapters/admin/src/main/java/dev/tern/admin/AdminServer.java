package dev.tern.admin;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.tern.admin.http.AdminApiHandler;
import dev.tern.admin.http.AdminPageHandler;
import dev.tern.admin.http.BearerTokenFilter;
import dev.tern.admin.http.HealthHandler;
import dev.tern.admin.http.MetricsHandler;
import dev.tern.admin.http.ReadinessCheck;
import dev.tern.admin.metrics.PrometheusMetrics;
import dev.tern.api.Tern;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Metrics, health and the admin page on the JDK's HTTP server:
 * <ul>
 *   <li>{@code GET /metrics}: Prometheus text format (token required when one is set);</li>
 *   <li>{@code GET /health/live}, {@code GET /health/ready} (and {@code /health}): never need the token;</li>
 *   <li>{@code GET /admin}: the admin page (static HTML and JavaScript, no data, no token needed);</li>
 *   <li>{@code GET /admin/api/allocations}, {@code GET /admin/api/status}: JSON (token required when set).</li>
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
    private static final int THREADS = 4;

    private final HttpServer server;
    private final ExecutorService executor;
    private final AtomicInteger closed = new AtomicInteger();

    private AdminServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds {@code config.listen()} and starts serving.
     *
     * @throws IllegalArgumentException if {@code config.enabled()} is false
     * @throws IOException if the address cannot be bound (the message names it)
     */
    public static AdminServer start(AdminConfig config, Tern tern, PrometheusMetrics metrics, Clock clock)
            throws IOException {
        Objects.requireNonNull(tern, "tern");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(clock, "clock");
        if (!config.enabled()) {
            throw new IllegalArgumentException("admin is disabled (admin.enabled: false); do not start it");
        }
        InetSocketAddress address = config.listenAddress();
        HttpServer server;
        try {
            server = HttpServer.create(address, 64);
        } catch (IOException e) {
            throw new IOException("cannot bind the admin server to " + config.listen() + ": " + e.getMessage(), e);
        }
        Optional<Filter> auth = Optional.ofNullable(config.token()).map(BearerTokenFilter::new);
        ReadinessCheck readiness = new ReadinessCheck(tern, metrics, clock, config.readyTimeout());
        context(server, "/metrics", new MetricsHandler(metrics), auth);
        context(server, "/health", new HealthHandler(readiness), Optional.empty());
        context(server, "/admin", new AdminPageHandler(), Optional.empty());
        context(server, "/admin/api/", new AdminApiHandler(tern, clock, config.readyTimeout()), auth);
        context(server, "/", exchange -> {
            if (exchange.getRequestURI().getPath().equals("/")) {
                exchange.getResponseHeaders().set("Location", "/admin");
                exchange.sendResponseHeaders(302, -1);
                exchange.close();
            } else {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
            }
        }, Optional.empty());
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, daemonThreads());
        server.setExecutor(executor);
        server.start();
        AdminServer admin = new AdminServer(server, executor);
        LOG.info("Admin server on {} (metrics, health, admin page{})", admin.uri(),
                auth.isPresent() ? "; admin token required" : "; loopback only, no token");
        return admin;
    }

    private static void context(HttpServer server, String path, HttpHandler handler, Optional<Filter> auth) {
        HttpContext context = server.createContext(path, handler);
        auth.ifPresent(context.getFilters()::add);
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "tern-admin-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** The bound address (with the real port when 0 was asked). */
    public InetSocketAddress address() {
        return server.getAddress();
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
            server.stop(0);
            executor.shutdownNow();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
