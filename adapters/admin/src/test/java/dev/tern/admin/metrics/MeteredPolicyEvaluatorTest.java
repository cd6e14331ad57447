package dev.tern.admin.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.PolicyDecision;
import dev.tern.spi.PolicyEvaluator;
import dev.tern.spi.SourceHealth;
import dev.tern.spi.Subject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class MeteredPolicyEvaluatorTest {

    /** A clock that moves 40ms each time it is read, so every decision takes exactly 40ms. */
    private static final class SteppingClock extends Clock {
        private Instant now = Instant.EPOCH;

        @Override
        public synchronized Instant instant() {
            Instant t = now;
            now = now.plus(Duration.ofMillis(40));
            return t;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private final PrometheusMetrics metrics = new PrometheusMetrics();

    @Test
    void timesUserAndServerDecisionsAndPassesThemThrough() {
        MeteredPolicyEvaluator metered = new MeteredPolicyEvaluator(PolicyEvaluator.PERMISSIVE, metrics,
                new SteppingClock());

        assertSame(PolicyDecision.PERMISSIVE,
                metered.decide(Subject.user("@alice:tern.test")).toCompletableFuture().join());
        assertSame(PolicyDecision.PERMISSIVE, metered.decideServerWide().toCompletableFuture().join());

        String text = metrics.scrape();
        assertTrue(text.contains("tern_policy_decision_seconds_count{result=\"ok\",scope=\"user\"} 1"), text);
        assertTrue(text.contains("tern_policy_decision_seconds_sum{result=\"ok\",scope=\"user\"} 0.04"), text);
        assertTrue(text.contains("tern_policy_decision_seconds_count{result=\"ok\",scope=\"server\"} 1"), text);
        assertTrue(!text.contains("alice"), text);
    }

    @Test
    void countsFailedAndThrowingDecisionsAsErrors() {
        PolicyEvaluator broken = new PolicyEvaluator() {
            @Override
            public CompletionStage<PolicyDecision> decide(Subject subject) {
                return CompletableFuture.failedFuture(new IllegalStateException("source down"));
            }

            @Override
            public CompletionStage<PolicyDecision> decideServerWide() {
                throw new IllegalStateException("closed");
            }

            @Override
            public Map<String, SourceHealth> sourceHealth() {
                return Map.of("directory", SourceHealth.failing("LDAP 91 (connect error)"));
            }
        };
        MeteredPolicyEvaluator metered = new MeteredPolicyEvaluator(broken, metrics, new SteppingClock());
        assertEquals(Map.of("directory", SourceHealth.failing("LDAP 91 (connect error)")),
                metered.sourceHealth(), "health checks see through the wrapper");

        assertThrows(CompletionException.class,
                () -> metered.decide(Subject.user("@bob:tern.test")).toCompletableFuture().join());
        assertThrows(IllegalStateException.class, metered::decideServerWide);

        String text = metrics.scrape();
        assertTrue(text.contains("tern_policy_decision_seconds_count{result=\"error\",scope=\"user\"} 1"), text);
        assertTrue(text.contains("tern_policy_decision_seconds_count{result=\"error\",scope=\"server\"} 1"), text);
    }
}
