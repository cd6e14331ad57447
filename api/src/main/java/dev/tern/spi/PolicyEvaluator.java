package dev.tern.spi;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Decides the policy for a subject from all configured sources (the {@code tern-policy} module
 * composes them so the most restrictive answer wins).
 *
 * <p>Implementations are thread-safe, never block the caller, and always complete their stages
 * normally: a source that fails or times out is handled by its {@code on_error} setting inside the
 * evaluator, never by failing the decision.
 */
public interface PolicyEvaluator extends AutoCloseable {

    /** An evaluator with no sources: {@link PolicyDecision#PERMISSIVE} for everyone. */
    PolicyEvaluator PERMISSIVE = answering(PolicyDecision.PERMISSIVE);

    /**
     * An evaluator with no sources that gives {@code decision} to every subject and server-wide: for hosts with a
     * fixed policy, and for tests.
     *
     * @throws NullPointerException when {@code decision} is null
     */
    static PolicyEvaluator answering(PolicyDecision decision) {
        Objects.requireNonNull(decision, "decision");
        return new PolicyEvaluator() {
            @Override
            public CompletionStage<PolicyDecision> decide(Subject subject) {
                return CompletableFuture.completedFuture(decision);
            }

            @Override
            public CompletionStage<PolicyDecision> decideServerWide() {
                return CompletableFuture.completedFuture(decision);
            }
        };
    }

    /** The decision for one subject, with the provenance of each field. */
    CompletionStage<PolicyDecision> decide(Subject subject);

    /** The decision for anyone on this server: what the well-known document publishes. */
    CompletionStage<PolicyDecision> decideServerWide();

    /**
     * How each configured source is doing now, keyed by its configured name, in config order. A source is
     * failing from its first failed or timed-out answer until it really answers again (a source that knows its
     * backend says so itself, so an answer from cache or one that needs no backend is no recovery). Never
     * blocks and does no I/O. Empty for an evaluator without sources.
     */
    default Map<String, SourceHealth> sourceHealth() {
        return Map.of();
    }

    /**
     * Problems of sources that still answer but that an administrator should know about (a rules file
     * that disappeared while its last rules stay in force), by source name; health reports them as
     * degraded. Never blocks; never contains a secret. Default: none.
     */
    default Map<String, String> sourceProblems() {
        return Map.of();
    }

    /** Closes the sources. Idempotent. */
    @Override
    default void close() {
    }
}
