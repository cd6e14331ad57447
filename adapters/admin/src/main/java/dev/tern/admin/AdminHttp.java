package dev.tern.admin;

import com.sun.net.httpserver.Filter;
import dev.tern.admin.history.LocalRelayStatus;
import dev.tern.admin.history.RelayHistory;
import dev.tern.admin.http.AdminApiHandler;
import dev.tern.admin.http.AdminPageHandler;
import dev.tern.admin.http.BearerTokenFilter;
import dev.tern.admin.http.DrainHandler;
import dev.tern.admin.http.HealthHandler;
import dev.tern.admin.http.HistoryHandler;
import dev.tern.admin.http.MetricsHandler;
import dev.tern.admin.http.ReadinessCheck;
import dev.tern.admin.metrics.PrometheusMetrics;
import dev.tern.admin.netty.AdminHttpHandler;
import dev.tern.admin.netty.AdminRoutes;
import dev.tern.api.Tern;
import dev.tern.spi.Fleet;
import io.netty.channel.ChannelHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The admin routes (metrics, health, the admin page and its API; see {@link AdminServer}) as one sharable Netty
 * handler of aggregated {@code FullHttpRequest}s, with the threads their handlers run on. {@link AdminServer} puts
 * it behind its own port; a host can put it on another HTTP pipeline too (the launcher: the relay's port shared
 * with HTTP, {@code shared_port}), where {@link #serves} says which paths are its.
 *
 * <p>Thread-safe. {@link #close()} stops the threads (idempotent).
 *
 * @param handler answers the admin routes
 * @param executor where the route handlers run (they may block: the readiness check waits for the policy)
 * @param history the charts' history, sampled every 5 s for 15 minutes from the fleet's live relays (or this relay)
 */
public record AdminHttp(ChannelHandler handler, ExecutorService executor, RelayHistory history)
        implements AutoCloseable {

    private static final int THREADS = 4;
    private static final Duration HISTORY_INTERVAL = Duration.ofSeconds(5);
    private static final Duration HISTORY_WINDOW = Duration.ofMinutes(15);
    private static final List<String> PREFIXES = List.of("/metrics", "/health", "/admin");

    /** Builds the routes; the token, when {@code config} has one, guards metrics and the API. */
    public static AdminHttp create(AdminConfig config, Tern tern, PrometheusMetrics metrics, Clock clock) {
        return create(config, tern, metrics, clock, Optional.empty());
    }

    /**
     * Builds the routes with {@code POST /admin/api/drain} starting {@code drain} (404 without one); the token, when
     * {@code config} has one, guards metrics and the API.
     */
    public static AdminHttp create(AdminConfig config, Tern tern, PrometheusMetrics metrics, Clock clock,
            Optional<RelayDrain> drain) {
        Optional<Filter> auth = Optional.ofNullable(config.token()).map(BearerTokenFilter::new);
        RelayHistory history = new RelayHistory(tern.fleet() != Fleet.NONE ? tern.fleet()::liveRelays
                : new LocalRelayStatus(tern.relay(), clock), clock, HISTORY_INTERVAL, HISTORY_WINDOW).start();
        ReadinessCheck readiness = new ReadinessCheck(tern, metrics, clock, config.readyTimeout());
        AdminRoutes routes = AdminRoutes.builder()
                .route("/metrics", new MetricsHandler(metrics), auth)
                .route("/health", new HealthHandler(readiness), Optional.empty())
                .route("/admin", new AdminPageHandler(), Optional.empty())
                .route("/admin/api/history", new HistoryHandler(history), auth)
                .route("/admin/api/", new AdminApiHandler(tern, clock, config.readyTimeout()), auth)
                .route("/admin/api/drain", new DrainHandler(drain), auth)
                .route("/", exchange -> {
                    if (exchange.getRequestURI().getPath().equals("/")) {
                        exchange.getResponseHeaders().set("Location", "/admin");
                        exchange.sendResponseHeaders(302, -1);
                    } else {
                        exchange.sendResponseHeaders(404, -1);
                    }
                    exchange.close();
                }, Optional.empty())
                .build();
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, daemonThreads());
        return new AdminHttp(new AdminHttpHandler(routes, executor), executor, history);
    }

    /** Whether {@code path} (raw, without the query) is one of the admin routes: {@code /metrics}, {@code /health*}, {@code /admin*}. */
    public static boolean serves(String path) {
        for (String prefix : PREFIXES) {
            if (path.equals(prefix) || path.startsWith(prefix + "/")) {
                return true;
            }
        }
        return false;
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "tern-admin-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        history.close();
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
