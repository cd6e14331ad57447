package dev.tern.admin.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ForceRelayGaugeTest {

    private final PrometheusMetrics metrics = new PrometheusMetrics();
    private final AtomicReference<CompletableFuture<Boolean>> answer =
            new AtomicReference<>(CompletableFuture.completedFuture(false));

    ForceRelayGaugeTest() {
        new ForceRelayGauge(answer::get).register(metrics);
    }

    @Test
    void reportsWhetherTheServerWidePolicyForcesRelayingAtEachScrape() {
        assertTrue(metrics.scrape().contains("tern_policy_force_relay_server_wide 0.0"), metrics.scrape());
        answer.set(CompletableFuture.completedFuture(true));
        assertTrue(metrics.scrape().contains("tern_policy_force_relay_server_wide 1.0"), metrics.scrape());
    }

    @Test
    void aSlowOrFailingPolicyKeepsTheLastAnswerAndNeverBlocksTheScrape() {
        answer.set(CompletableFuture.completedFuture(true));
        metrics.scrape();
        CompletableFuture<Boolean> pending = new CompletableFuture<>();
        answer.set(pending);
        assertTrue(metrics.scrape().contains("tern_policy_force_relay_server_wide 1.0"), metrics.scrape());
        answer.set(CompletableFuture.failedFuture(new IllegalStateException("directory down")));
        assertTrue(metrics.scrape().contains("tern_policy_force_relay_server_wide 1.0"), metrics.scrape());
        pending.complete(false); // the late answer counts once it comes
        answer.set(new CompletableFuture<>());
        assertTrue(metrics.scrape().contains("tern_policy_force_relay_server_wide 0.0"), metrics.scrape());
    }
}
