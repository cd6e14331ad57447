package dev.tern.host;

import dev.tern.spi.CredentialVerifier;
import dev.tern.spi.Fleet;
import dev.tern.spi.MetricsRecorder;
import dev.tern.spi.ProviderContext;
import dev.tern.spi.RelayContext;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A {@link ProviderContext} made of the given parts, for hosts that build providers in plain Java and
 * for tests. The caller owns the scheduler and shuts it down.
 *
 * <p>{@link #close()} closes what {@link #of} made, the HTTP client, so that no thread of it stays once Tern is
 * stopped; it never closes a client the host passed to the constructor (the host owns that one). A context made
 * with the constructor from another's {@link #httpClient()} shares that client: closing either closes it.
 *
 * <p>Immutable and thread-safe.
 */
public record SimpleProviderContext(
        String serverName,
        Clock clock,
        ScheduledExecutorService scheduler,
        HttpClient httpClient,
        MetricsRecorder metrics,
        Directories directories) implements ProviderContext, AutoCloseable {

    /**
     * Where providers keep their data and against what relative paths of their config resolve.
     *
     * @param data {@link ProviderContext#dataDirectory()}
     * @param config {@link ProviderContext#configDirectory()}
     */
    public record Directories(Path data, Path config) {

        public Directories {
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(config, "config");
        }

        /** The same directory for both, as tests and single-directory hosts have it. */
        public static Directories of(Path directory) {
            return new Directories(directory, directory);
        }
    }

    public SimpleProviderContext {
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(httpClient, "httpClient");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(directories, "directories");
    }

    /**
     * A context with the system clock, a new HTTP client (the JDK's defaults, built on first use, closed by
     * {@link #close()}), no metrics, and both directories set to {@code directory}.
     */
    public static SimpleProviderContext of(String serverName, ScheduledExecutorService scheduler, Path directory) {
        return new SimpleProviderContext(serverName, Clock.systemUTC(), scheduler, LazyHttpClient.madeByContext(),
                MetricsRecorder.NONE, Directories.of(directory));
    }

    @Override
    public Path dataDirectory() {
        return directories.data();
    }

    @Override
    public Path configDirectory() {
        return directories.config();
    }

    /**
     * Closes the HTTP client if {@link #of} made it, ending its threads (bounded wait); after that its requests
     * fail. A client passed to the constructor is left alone, and so is the scheduler. Idempotent.
     */
    @Override
    public void close() {
        if (httpClient instanceof LazyHttpClient made && made.isMadeByContext()) {
            made.close();
        }
    }

    /** A relay context that adds the given verifier and policy to this context. */
    public RelayContext forRelay(CredentialVerifier verifier, dev.tern.spi.PolicyEvaluator policy) {
        return forRelay(verifier, policy, Fleet.NONE);
    }

    /** A relay context that adds the given verifier, policy and fleet (#18) to this context. */
    public RelayContext forRelay(CredentialVerifier verifier, dev.tern.spi.PolicyEvaluator policy, Fleet fleet) {
        Objects.requireNonNull(verifier, "verifier");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(fleet, "fleet");
        ProviderContext base = this;
        return new RelayContext() {
            @Override
            public Fleet fleet() {
                return fleet;
            }

            @Override
            public CredentialVerifier credentialVerifier() {
                return verifier;
            }

            @Override
            public dev.tern.spi.PolicyEvaluator policy() {
                return policy;
            }

            @Override
            public String serverName() {
                return base.serverName();
            }

            @Override
            public Clock clock() {
                return base.clock();
            }

            @Override
            public ScheduledExecutorService scheduler() {
                return base.scheduler();
            }

            @Override
            public HttpClient httpClient() {
                return base.httpClient();
            }

            @Override
            public MetricsRecorder metrics() {
                return base.metrics();
            }

            @Override
            public Path dataDirectory() {
                return base.dataDirectory();
            }

            @Override
            public Path configDirectory() {
                return base.configDirectory();
            }
        };
    }
}
