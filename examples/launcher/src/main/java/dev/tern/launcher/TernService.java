package dev.tern.launcher;

import com.google.inject.Injector;
import com.google.inject.multibindings.OptionalBinder;
import dev.tern.admin.AdminConfig;
import dev.tern.admin.AdminHttp;
import dev.tern.admin.AdminServer;
import dev.tern.admin.metrics.ForceRelayGauge;
import dev.tern.admin.metrics.PrometheusMetrics;
import dev.tern.api.Tern;
import dev.tern.config.TernConfig;
import dev.tern.guard.ListenerGuard;
import dev.tern.guice.TernInjector;
import dev.tern.guice.TernLifecycle;
import dev.tern.matrix.http.MatrixConfig;
import dev.tern.matrix.http.MatrixEndpoints;
import dev.tern.matrix.netty.MatrixHttpHandler;
import dev.tern.matrix.netty.MatrixHttpServer;
import dev.tern.relay.NettyRelayServer;
import io.netty.channel.ChannelInboundHandler;
import dev.tern.spi.MetricsRecorder;
import dev.tern.spi.ProviderContext;
import dev.tern.spi.RelayServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Tern: the relay (if configured) started through {@link TernLifecycle}, the Matrix
 * endpoints of tern-matrix-http (if {@code matrix} is configured) on their own HTTP server and on the relay's port
 * shared with HTTP ({@code tls+https://}, {@code tcp+http://}: {@link SharedPortHttp}), and tern-admin's
 * metrics, health and admin page (if {@code metrics} is configured and enabled). What
 * {@code tern serve} runs, and what tests start in-process.
 *
 * <p>Thread-safe; {@link #close()} drains the relay for the drain deadline while the HTTP servers still answer,
 * then stops everything, and is idempotent.
 */
final class TernService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TernService.class);
    /** Where the Matrix endpoints listen when {@code matrix.listen} is not given. */
    static final InetSocketAddress DEFAULT_HTTP = new InetSocketAddress("127.0.0.1", 8008);

    private final TernLifecycle lifecycle;
    private final Tern tern;
    private final Optional<MatrixHttpServer> http;
    private final Optional<AdminServer> admin;
    private final List<AutoCloseable> resources;
    private final DrainSequence drain;
    private final CompletableFuture<Void> closedFuture = new CompletableFuture<>();
    private boolean closed;

    private TernService(TernLifecycle lifecycle, Tern tern, Optional<MatrixHttpServer> http,
            Optional<AdminServer> admin, List<AutoCloseable> resources, DrainSequence drain) {
        this.lifecycle = lifecycle;
        this.tern = tern;
        this.http = http;
        this.admin = admin;
        this.resources = resources;
        this.drain = drain;
        drain.onStart(this::close);
    }

    /**
     * Builds everything from the config and starts it.
     *
     * @throws dev.tern.config.ConfigException for a config mistake found while building
     * @throws LauncherException when a listener cannot be bound
     */
    static TernService start(TernConfig config, Duration drainGrace) {
        Optional<MatrixSections> matrix = Sections.matrix(config);
        Optional<AdminConfig> admin = Sections.metrics(config).filter(AdminConfig::enabled);
        PrometheusMetrics metrics = new PrometheusMetrics();
        // Providers report through the host's MetricsRecorder: with metrics on, that is Prometheus.
        Injector injector = admin.isEmpty() ? TernInjector.create(config) : TernInjector.create(config,
                binder -> OptionalBinder.newOptionalBinder(binder, MetricsRecorder.class).setBinding().toInstance(metrics));
        TernLifecycle lifecycle = injector.getInstance(TernLifecycle.class);
        List<AutoCloseable> resources = new ArrayList<>();
        DrainSequence drain = new DrainSequence(injector.getInstance(Clock.class), drainGrace);
        try {
            lifecycle.start();
            Tern tern = injector.getInstance(Tern.class);
            Optional<AdminServer> adminServer = Optional.empty();
            Optional<NettyRelayServer> sharedPort = tern.relay().filter(NettyRelayServer.class::isInstance)
                    .map(NettyRelayServer.class::cast).filter(NettyRelayServer::sharesPortWithHttp);
            if (sharedPort.isPresent()) {
                SharedPorts.check(config);
            }
            if (admin.isPresent()) {
                tern.relay().ifPresent(metrics::watch);
                FleetMetrics.register(metrics, tern.fleet());
                new ForceRelayGauge(tern::serverForcesRelay).register(metrics);
                try {
                    adminServer = Optional.of(AdminServer.start(admin.get(), tern, metrics,
                            injector.getInstance(Clock.class), Optional.of(drain)));
                } catch (IOException e) {
                    throw new LauncherException("Metrics and admin page: " + e.getMessage()
                            + " (change metrics.listen, or --admin-port for the embedded default)", e);
                }
                resources.add(adminServer.get());
            }
            Optional<MatrixHttpServer> http = Optional.empty();
            if (matrix.isPresent()) {
                ProviderContext context = injector.getInstance(ProviderContext.class);
                // TernModule wired them from the matrix section; TernLifecycle closes the token verifier.
                MatrixConfig matrixConfig = injector.getInstance(MatrixConfig.class);
                MatrixEndpoints endpoints = injector.getInstance(MatrixEndpoints.class);
                if (admin.isPresent()) {
                    metrics.gauge("tern_matrix_rate_limit_buckets", "Token buckets held by the turnServer rate "
                            + "limits (rate_limit and unknown_token_limit); back to 0 when requests stop",
                            endpoints::rateLimitBuckets);
                }
                if (sharedPort.isPresent()) {
                    Optional<ChannelInboundHandler> adminRoutes = Optional.empty();
                    if (admin.isPresent() && admin.get().sharedPort()) {
                        AdminHttp adminHttp = AdminHttp.create(admin.get(), tern, metrics,
                                injector.getInstance(Clock.class), Optional.of(drain));
                        resources.add(adminHttp);
                        adminRoutes = Optional.of((ChannelInboundHandler) adminHttp.handler());
                    }
                    sharedPort.get().serveHttp(new SharedPortHttp(new SharedPortRoutes(
                            new MatrixHttpHandler(endpoints), adminRoutes), matrixConfig.maxHeaderSize(),
                            ListenerGuard.create("http", matrixConfig.connections(), context.clock(), context.metrics())));
                }
                // With a shared port the Matrix endpoints' own HTTP server runs only where matrix.listen asks for it.
                Optional<InetSocketAddress> listen = sharedPort.isPresent() ? matrixConfig.listenAddress()
                        : Optional.of(matrixConfig.listenAddress().orElse(DEFAULT_HTTP));
                if (listen.isPresent()) {
                    try {
                        http = Optional.of(MatrixHttpServer.start(endpoints, listen.get(), matrixConfig.maxHeaderSize(),
                                ListenerGuard.create("http", matrixConfig.connections(), context.clock(),
                                        context.metrics())));
                    } catch (IllegalStateException e) {
                        throw new LauncherException("Matrix endpoints: " + e.getMessage()
                                + " (change matrix.listen, or --http-port for the embedded default)", e);
                    }
                }
            }
            return new TernService(lifecycle, tern, http, adminServer, resources, drain);
        } catch (RuntimeException e) {
            closeAll(resources);
            lifecycle.stop();
            if (e instanceof IllegalStateException && e.getMessage() != null && e.getMessage().startsWith("Could not")) {
                throw new LauncherException(e.getMessage(), e);
            }
            throw e;
        }
    }

    /**
     * Builds everything {@link #start} builds from the config (the credential issuer, every policy source
     * with the files it reads, the policy engine, the relay, the access-token verifier) without binding a
     * listener, then releases it: what {@code check-config} runs, so that it refuses exactly what
     * {@code serve} refuses.
     *
     * @throws dev.tern.config.ConfigException for a config mistake found while building
     */
    static void check(TernConfig config) {
        Sections.metrics(config);
        Optional<MatrixSections> matrix = Sections.matrix(config);
        Injector injector = TernInjector.create(config);
        TernLifecycle lifecycle = injector.getInstance(TernLifecycle.class);
        try {
            // TernModule builds the access-token verifier with the endpoints; TernLifecycle.stop closes it.
            matrix.ifPresent(m -> injector.getInstance(MatrixEndpoints.class));
        } finally {
            lifecycle.stop();
        }
    }

    /** The facade. */
    Tern tern() {
        return tern;
    }

    /** Where the relay listens (empty without a relay). */
    List<InetSocketAddress> relayAddresses() {
        return tern.relay().map(r -> r.listenAddresses()).orElse(List.of());
    }

    /** Where the Matrix endpoints listen, if they run. */
    Optional<InetSocketAddress> httpAddress() {
        return http.map(MatrixHttpServer::localAddress);
    }

    /** The relay's listeners that serve HTTP too ({@code tls+https://}, {@code tcp+http://}), with their bound ports. */
    List<URI> sharedPorts() {
        return tern.relay().map(r -> r.listenUris().stream().filter(u -> u.getScheme().equals("tls+https")
                || u.getScheme().equals("tcp+http")).toList()).orElse(List.of());
    }

    /** The admin server's base URI ({@code /metrics}, {@code /health}, {@code /admin}), if it runs. */
    Optional<URI> adminUri() {
        return admin.map(AdminServer::uri);
    }

    /**
     * Starts draining in the background (what {@code tern drain} and SIGTERM ask for): {@link #close()} on a thread of
     * its own; returns when live allocations will be closed at the latest. Idempotent.
     */
    Instant startDrain() {
        return drain.start();
    }

    /** Completes when {@link #close()} has stopped everything, however it was started. */
    CompletionStage<Void> closed() {
        return closedFuture;
    }

    /**
     * Drains the relay while the HTTP servers still answer (health says draining, so load balancers move on;
     * new Allocates get 300 Try Alternate or 508), for at most the drain deadline; then stops the HTTP servers
     * and everything else (the relay leaves its fleet as its resources close).
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            LOG.info("Draining the relay for up to {} s", drain.deadline().toSeconds());
            tern.relay().ifPresent(relay -> awaitDrain(relay, drain.deadline()));
            http.ifPresent(MatrixHttpServer::close);
            closeAll(resources);
            lifecycle.stop();
            LOG.info("Stopped");
        } finally {
            closedFuture.complete(null);
        }
    }

    private static void awaitDrain(RelayServer relay, Duration deadline) {
        try {
            // The relay closes what is left at the deadline; the margin covers that closing.
            relay.drain(deadline).toCompletableFuture().get(deadline.plusSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("The relay did not drain cleanly; stopping it", e);
        }
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("Failure while closing {}; continuing", resource.getClass().getSimpleName(), e);
            }
        }
    }
}
