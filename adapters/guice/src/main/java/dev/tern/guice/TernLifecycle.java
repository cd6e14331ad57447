package dev.tern.guice;

import com.google.inject.Inject;
import dev.tern.spi.PolicyEvaluator;
import dev.tern.spi.AccessTokenVerifier;
import dev.tern.host.ConfiguredPolicySource;
import dev.tern.host.LazyHttpClient;
import dev.tern.spi.CredentialIssuer;
import dev.tern.spi.Fleet;
import dev.tern.spi.RelayServer;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and stops what {@link TernModule} built, in dependency order: {@link #start()} starts the relay
 * (if any); {@link #stop()} stops the relay, then closes the access-token verifier (if any), the issuer, the
 * policy evaluator and the sources, then shuts the shared scheduler down and closes the HTTP client Tern made
 * (one the host bound itself stays the host's to close).
 *
 * <p>Thread-safe; {@code start} and {@code stop} are idempotent, and {@code stop} after a failed
 * {@code start} releases what was made. Every wait is bounded.
 */
@com.google.inject.Singleton
public final class TernLifecycle implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TernLifecycle.class);

    /** The longest {@link #start()} waits for the relay's listeners, and {@link #stop()} for the relay. */
    public static final Duration WAIT = Duration.ofSeconds(30);

    private final Optional<RelayServer> relay;
    private final Optional<CredentialIssuer> issuer;
    private final Optional<AccessTokenVerifier> accessTokens;
    private final PolicyEvaluator policy;
    private final Set<ConfiguredPolicySource> sources;
    private final ScheduledExecutorService scheduler;
    private final HttpClient http;
    private final Fleet fleet;
    private final Clock clock;
    private boolean started;
    private boolean stopped;

    @Inject
    TernLifecycle(RelayInFleet relay, AccessServices access, SharedResources shared) {
        this.fleet = relay.fleet();
        this.clock = relay.clock();
        this.relay = relay.relay();
        this.issuer = access.issuer();
        this.accessTokens = access.accessTokens();
        this.policy = access.policy();
        this.sources = access.sources();
        this.scheduler = shared.scheduler();
        this.http = shared.http();
    }

    /**
     * Starts the relay, if one is configured, and waits until its listeners are bound. Calling it again once
     * started does nothing. A start that fails leaves nothing of the relay running (no socket, no thread); it
     * can be called again (once the port is free, say), or {@link #stop()} releases the rest.
     *
     * @throws IllegalStateException when stopped already, or the relay fails or takes longer than
     *     {@link #WAIT} to start; the message names the listener that could not be bound, as in
     *     {@code Could not start the relay: udp://127.0.0.1:3478: address already in use}
     */
    public synchronized void start() {
        if (stopped) {
            throw new IllegalStateException("Tern was stopped; build a new injector to start again");
        }
        if (started) {
            return;
        }
        if (relay.isPresent()) {
            await(relay.get().start().toCompletableFuture(), "start the relay");
            LOG.info("Relay listening on {}", relay.get().listenUris());
            if (fleet != Fleet.NONE) {
                fleet.join(new FleetMembership(relay.get(), fleet, clock, relay.get()::draining));
            }
        }
        started = true;
    }

    /**
     * Lets live allocations end for up to {@code grace} (new ones are refused), then {@link #stop()}s.
     */
    public void drainAndStop(Duration grace) {
        synchronized (this) {
            if (stopped) {
                return;
            }
        }
        if (relay.isPresent()) {
            try {
                relay.get().drain(grace).toCompletableFuture().get(grace.plus(WAIT).toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("Relay did not drain cleanly; stopping it", e);
            }
        }
        stop();
    }

    /** Stops the relay and closes everything, in reverse order of dependency. Logs, never throws, failures. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        List<Runnable> steps = new ArrayList<>();
        relay.ifPresent(r -> steps.add(() -> await(r.stop().toCompletableFuture(), "stop the relay")));
        steps.add(fleet::close); // after the relay: its allocations' leases are given back first
        accessTokens.ifPresent(t -> steps.add(t::close));
        issuer.ifPresent(i -> steps.add(i::close));
        steps.add(policy::close);
        sources.forEach(s -> steps.add(s.source()::close));
        steps.add(scheduler::shutdownNow);
        if (http instanceof LazyHttpClient made) {
            steps.add(made::close);
        }
        for (Runnable step : steps) {
            try {
                step.run();
            } catch (RuntimeException e) {
                LOG.warn("Failure while stopping Tern; continuing", e);
            }
        }
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    private static void await(java.util.concurrent.CompletableFuture<Void> stage, String what) {
        try {
            stage.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting to " + what, e);
        } catch (ExecutionException | CompletionException e) {
            throw new IllegalStateException("Could not " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Could not " + what + " within " + WAIT.toSeconds() + " s", e);
        }
    }
}
