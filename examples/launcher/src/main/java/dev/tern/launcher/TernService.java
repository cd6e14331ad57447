package dev.tern.launcher;

import com.google.inject.Injector;
import dev.tern.api.Tern;
import dev.tern.config.TernConfig;
import dev.tern.guice.TernInjector;
import dev.tern.guice.TernLifecycle;
import dev.tern.launcher.http.MatrixEndpoints;
import dev.tern.launcher.http.MatrixSection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Tern: the relay (if configured) started through {@link TernLifecycle}, and the Matrix
 * endpoints (if configured) serving the {@link Tern} facade. What {@code tern serve} runs, and what tests
 * start in-process.
 *
 * <p>Thread-safe; {@link #close()} drains the relay for the grace period, then stops everything, and is
 * idempotent.
 */
final class TernService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TernService.class);

    private final TernLifecycle lifecycle;
    private final Tern tern;
    private final Optional<MatrixEndpoints> endpoints;
    private final Duration drainGrace;
    private boolean closed;

    private TernService(TernLifecycle lifecycle, Tern tern, Optional<MatrixEndpoints> endpoints, Duration drainGrace) {
        this.lifecycle = lifecycle;
        this.tern = tern;
        this.endpoints = endpoints;
        this.drainGrace = drainGrace;
    }

    /**
     * Builds everything from the config and starts it.
     *
     * @throws dev.tern.config.ConfigException for a config mistake found while building
     * @throws LauncherException when a listener cannot be bound
     */
    static TernService start(TernConfig config, Duration drainGrace) {
        Optional<MatrixSection> matrix = Sections.matrix(config);
        Sections.metrics(config);
        Injector injector = TernInjector.create(config);
        TernLifecycle lifecycle = injector.getInstance(TernLifecycle.class);
        try {
            lifecycle.start();
            Tern tern = injector.getInstance(Tern.class);
            Optional<MatrixEndpoints> endpoints = Optional.empty();
            if (matrix.isPresent()) {
                try {
                    endpoints = Optional.of(MatrixEndpoints.start(tern, matrix.get()));
                } catch (IOException e) {
                    throw new LauncherException("Cannot listen on " + matrix.get().listen() + " for the Matrix "
                            + "endpoints (" + e.getMessage() + "); change matrix.listen or free the port", e);
                }
            }
            return new TernService(lifecycle, tern, endpoints, drainGrace);
        } catch (RuntimeException e) {
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
        return endpoints.map(MatrixEndpoints::address);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        endpoints.ifPresent(MatrixEndpoints::close);
        LOG.info("Draining the relay for up to {} s", drainGrace.toSeconds());
        lifecycle.drainAndStop(drainGrace);
        LOG.info("Stopped");
    }
}
