package dev.tern.launcher;

import com.google.inject.Injector;
import dev.tern.api.Tern;
import dev.tern.config.TernConfig;
import dev.tern.guice.TernInjector;
import dev.tern.guice.TernLifecycle;
import dev.tern.matrix.auth.AccessTokenVerifier;
import dev.tern.matrix.http.MatrixConfig;
import dev.tern.matrix.http.MatrixEndpoints;
import dev.tern.matrix.netty.MatrixHttpServer;
import dev.tern.spi.ProviderContext;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Tern: the relay (if configured) started through {@link TernLifecycle}, and the Matrix
 * endpoints of tern-matrix-http (if {@code matrix} is configured) on their own HTTP server. What
 * {@code tern serve} runs, and what tests start in-process.
 *
 * <p>Thread-safe; {@link #close()} stops the HTTP server, drains the relay for the grace period, then stops
 * everything, and is idempotent.
 */
final class TernService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TernService.class);
    /** Where the Matrix endpoints listen when {@code matrix.listen} is not given. */
    static final InetSocketAddress DEFAULT_HTTP = new InetSocketAddress("127.0.0.1", 8008);

    private final TernLifecycle lifecycle;
    private final Tern tern;
    private final Optional<MatrixHttpServer> http;
    private final List<AutoCloseable> resources;
    private final Duration drainGrace;
    private boolean closed;

    private TernService(TernLifecycle lifecycle, Tern tern, Optional<MatrixHttpServer> http,
            List<AutoCloseable> resources, Duration drainGrace) {
        this.lifecycle = lifecycle;
        this.tern = tern;
        this.http = http;
        this.resources = resources;
        this.drainGrace = drainGrace;
    }

    /**
     * Builds everything from the config and starts it.
     *
     * @throws dev.tern.config.ConfigException for a config mistake found while building
     * @throws LauncherException when a listener cannot be bound
     */
    static TernService start(TernConfig config, Duration drainGrace) {
        Optional<MatrixSections> matrix = Sections.matrix(config);
        Sections.metrics(config);
        Injector injector = TernInjector.create(config);
        TernLifecycle lifecycle = injector.getInstance(TernLifecycle.class);
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            lifecycle.start();
            Tern tern = injector.getInstance(Tern.class);
            Optional<MatrixHttpServer> http = Optional.empty();
            if (matrix.isPresent()) {
                ProviderContext context = injector.getInstance(ProviderContext.class);
                AccessTokenVerifier tokens = matrix.get().verifier(context);
                resources.add(tokens);
                MatrixConfig matrixConfig = matrix.get().config();
                MatrixEndpoints endpoints = MatrixEndpoints.create(matrixConfig, tern, tokens, context);
                InetSocketAddress listen = matrixConfig.listenAddress().orElse(DEFAULT_HTTP);
                try {
                    http = Optional.of(MatrixHttpServer.start(endpoints, listen, matrixConfig.maxHeaderSize()));
                } catch (IllegalStateException e) {
                    throw new LauncherException("Matrix endpoints: " + e.getMessage()
                            + " (change matrix.listen, or --http-port for the embedded default)", e);
                }
            }
            return new TernService(lifecycle, tern, http, resources, drainGrace);
        } catch (RuntimeException e) {
            closeAll(resources);
            lifecycle.stop();
            if (e instanceof IllegalStateException && e.getMessage() != null && e.getMessage().startsWith("Could not")) {
                throw new LauncherException(e.getMessage(), e);
            }
            throw e;
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

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        http.ifPresent(MatrixHttpServer::close);
        closeAll(resources);
        LOG.info("Draining the relay for up to {} s", drainGrace.toSeconds());
        lifecycle.drainAndStop(drainGrace);
        LOG.info("Stopped");
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
