package dev.tern.admin.metrics;

import dev.tern.spi.PolicyDecision;
import dev.tern.spi.PolicyEvaluator;
import dev.tern.spi.SourceHealth;
import dev.tern.spi.Subject;
import dev.tern.spi.MetricsRecorder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A {@link PolicyEvaluator} that times every decision of the one it wraps: the timer
 * {@code tern_policy_decision} (a histogram {@code tern_policy_decision_seconds} in
 * {@link PrometheusMetrics}) with tags {@code scope} = user | server and {@code result} = ok | error.
 * The subject is never a tag. Per-source latency needs the policy engine itself to report timers.
 *
 * <p>Thread-safe if the wrapped evaluator is. Decisions and failures pass through unchanged; an evaluator
 * that throws instead of failing its stage is timed as an error and the exception rethrown.
 */
public final class MeteredPolicyEvaluator implements PolicyEvaluator {

    private final PolicyEvaluator delegate;
    private final MetricsRecorder metrics;
    private final Clock clock;

    public MeteredPolicyEvaluator(PolicyEvaluator delegate, MetricsRecorder metrics, Clock clock) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public CompletionStage<PolicyDecision> decide(Subject subject) {
        return timed("user", () -> delegate.decide(subject));
    }

    @Override
    public CompletionStage<PolicyDecision> decideServerWide() {
        return timed("server", delegate::decideServerWide);
    }

    @Override
    public Map<String, String> sourceProblems() {
        return delegate.sourceProblems();
    }

    @Override
    public Map<String, SourceHealth> sourceHealth() {
        return delegate.sourceHealth();
    }

    @Override
    public void close() {
        delegate.close();
    }

    private CompletionStage<PolicyDecision> timed(String scope, Supplier<CompletionStage<PolicyDecision>> decision) {
        Instant start = clock.instant();
        try {
            return decision.get().whenComplete((d, failure) -> record(scope, failure == null, start));
        } catch (RuntimeException e) {
            record(scope, false, start);
            throw e;
        }
    }

    private void record(String scope, boolean ok, Instant start) {
        metrics.time("tern_policy_decision", Map.of("scope", scope, "result", ok ? "ok" : "error"),
                Duration.between(start, clock.instant()));
    }
}
