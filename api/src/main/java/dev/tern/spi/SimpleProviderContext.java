package dev.tern.spi;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A {@link ProviderContext} made of the given parts, for hosts that build providers in plain Java and
 * for tests. The caller owns the scheduler and shuts it down.
 *
 * <p>Immutable and thread-safe.
 */
public record SimpleProviderContext(
        String serverName,
        Clock clock,
        ScheduledExecutorService scheduler,
        HttpClient httpClient,
        MetricsRecorder metrics,
        Path dataDirectory,
        Path configDirectory) implements ProviderContext {

    public SimpleProviderContext {
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(httpClient, "httpClient");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(configDirectory, "configDirectory");
    }

    /**
     * A context with the system clock, a new HTTP client, no metrics, and both directories set to
     * {@code directory}.
     */
    public static SimpleProviderContext of(String serverName, ScheduledExecutorService scheduler, Path directory) {
        return new SimpleProviderContext(serverName, Clock.systemUTC(), scheduler, HttpClient.newHttpClient(),
                MetricsRecorder.NONE, directory, directory);
    }

    /** A relay context that adds the given verifier and policy to this context. */
    public RelayContext forRelay(CredentialVerifier verifier, dev.tern.api.PolicyEvaluator policy) {
        return forRelay(verifier, policy, Fleet.NONE);
    }

    /** A relay context that adds the given verifier, policy and fleet (#18) to this context. */
    public RelayContext forRelay(CredentialVerifier verifier, dev.tern.api.PolicyEvaluator policy, Fleet fleet) {
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
            public dev.tern.api.PolicyEvaluator policy() {
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
