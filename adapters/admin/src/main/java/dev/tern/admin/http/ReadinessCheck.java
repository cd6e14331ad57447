package dev.tern.admin.http;

import dev.tern.spi.PolicyEvaluator;
import dev.tern.api.Tern;
import dev.tern.spi.Fleet;
import dev.tern.spi.FleetHealth;
import dev.tern.spi.FleetNonceKeys;
import dev.tern.spi.MetricsRecorder;
import dev.tern.spi.RelayServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whether this Tern can serve: the relay (when there is one) is bound and not draining, and the policy answers the
 * server-wide question within the timeout. Each policy check's latency and result are recorded as the
 * timer {@code tern_policy_server_wide_decision} with tag {@code result} = ok | error | timeout.
 *
 * <p>A policy source that cannot answer ({@link PolicyEvaluator#sourceHealth()}) makes Tern
 * <em>degraded</em>: still ready (its {@code on_error} answers for it, and every replica shares the same
 * directory, so failing readiness would take them all out of service at once), but the check names each
 * failing source and why. The check reads the sources' state; asking the server-wide question does not
 * end a source's outage unless the source itself really answers again.
 *
 * <p>A fleet whose store cannot be reached ({@link Fleet#health()}) makes Tern degraded too: the relay keeps
 * relaying and allocating on its local quotas.
 *
 * <p>Thread-safe. {@link #check()} blocks the calling thread for at most the timeout.
 */
public final class ReadinessCheck {

    /**
     * The outcome of one check.
     *
     * @param ready whether every check passed
     * @param degraded whether, though ready, a policy source cannot answer (named in {@code checks.policy})
     * @param checks each check's name and a short, secret-free state
     */
    public record Readiness(boolean ready, boolean degraded, Map<String, String> checks) {
        public Readiness {
            checks = Map.copyOf(checks);
        }

        /** {@code ready}, {@code degraded} or {@code not ready}. */
        public String status() {
            return !ready ? "not ready" : degraded ? "degraded" : "ready";
        }
    }

    /** How a check's state starts when it passed with a problem. */
    static final String DEGRADED = "degraded: ";

    private final Tern tern;
    private final MetricsRecorder metrics;
    private final Clock clock;
    private final Duration timeout;

    public ReadinessCheck(Tern tern, MetricsRecorder metrics, Clock clock, Duration timeout) {
        this.tern = tern;
        this.metrics = metrics;
        this.clock = clock;
        this.timeout = timeout;
    }

    /** Runs the checks now. */
    public Readiness check() {
        Map<String, String> checks = new LinkedHashMap<>();
        boolean relayOk = tern.relay().map(ReadinessCheck::relayBound).orElse(true);
        // Draining for a restart (#18): not ready, so load balancers stop sending new clients here.
        boolean draining = tern.relay().map(RelayServer::draining).orElse(false);
        checks.put("relay", tern.relay().isEmpty() ? "not configured" : draining ? "draining"
                : relayOk ? "bound" : "not bound");
        relayOk = relayOk && !draining;
        String policy = policyAnswers();
        boolean policyOk = policy.equals("answering");
        List<String> failing = new ArrayList<>();
        tern.policy().sourceHealth().forEach((name, health) -> {
            if (!health.answering()) {
                failing.add("source '" + name + "' cannot answer (" + health.detail() + ")");
            }
        });
        boolean degraded = policyOk && !failing.isEmpty();
        checks.put("policy", degraded ? "degraded: " + String.join("; ", failing) + "; its on_error applies" : policy);
        // A source that answers through a problem (its rules file is gone) leaves Tern ready but degraded.
        Map<String, String> problems = tern.policy().sourceProblems();
        if (!problems.isEmpty()) {
            checks.put("policy_sources", DEGRADED + String.join("; ", problems.entrySet().stream()
                    .map(p -> p.getKey() + ": " + p.getValue()).toList()));
        }
        // #18: a fleet whose Redis cannot be reached leaves the relay relaying on local quotas: degraded, not down.
        FleetHealth fleet = tern.fleet().health();
        // A live relay signing nonces with another key breaks 300 Try Alternate for browsers: degraded too.
        List<String> otherKeys = FleetNonceKeys.relaysWithAnotherKey(tern.fleet().relayId(), tern.fleet().liveRelays());
        if (tern.fleet() != Fleet.NONE) {
            checks.put("fleet", !fleet.up() ? DEGRADED + fleet.detail() + "; local quotas apply"
                    : !otherKeys.isEmpty() ? DEGRADED + FleetNonceKeys.detail(otherKeys)
                    : "up (" + tern.fleet().liveRelays().size() + " live relays)");
        }
        return new Readiness(relayOk && policyOk, degraded || !problems.isEmpty() || !fleet.up()
                || !otherKeys.isEmpty(), checks);
    }

    private static boolean relayBound(RelayServer relay) {
        return !relay.listenAddresses().isEmpty();
    }

    private String policyAnswers() {
        Instant start = clock.instant();
        String result;
        String state;
        CompletableFuture<?> decision = null;
        try {
            decision = tern.policy().decideServerWide().toCompletableFuture();
            decision.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            result = "ok";
            state = "answering";
        } catch (TimeoutException e) {
            result = "timeout";
            state = "no answer within " + timeout.toMillis() + "ms";
        } catch (ExecutionException e) {
            result = "error";
            state = "failed: " + e.getCause().getClass().getSimpleName();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result = "error";
            state = "interrupted";
        } catch (RuntimeException e) {
            result = "error";
            state = "failed: " + e.getClass().getSimpleName();
        }
        metrics.time("tern_policy_server_wide_decision", Map.of("result", result),
                Duration.between(start, clock.instant()));
        return state;
    }
}
