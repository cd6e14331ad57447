package dev.tern.admin.metrics;

import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The gauge {@code tern_policy_force_relay_server_wide}: 1 while the server-wide policy forces relaying (what
 * {@code /.well-known/matrix/client} publishes as {@code im.vector.riot.forceTurn}), 0 otherwise. The alert
 * "fleet without a live relay while relaying is forced" reads it.
 *
 * <p>Each scrape asks the policy again but never waits: an answer ready at once is reported, otherwise (and when
 * the policy fails) the last answer, 0 before the first. Thread-safe.
 */
public final class ForceRelayGauge {

    /** The metric's name. */
    public static final String NAME = "tern_policy_force_relay_server_wide";

    private final Supplier<? extends CompletionStage<Boolean>> serverForcesRelay;
    private final AtomicLong last = new AtomicLong();

    /** @param serverForcesRelay the server-wide question, like {@code tern::serverForcesRelay} */
    public ForceRelayGauge(Supplier<? extends CompletionStage<Boolean>> serverForcesRelay) {
        this.serverForcesRelay = Objects.requireNonNull(serverForcesRelay, "serverForcesRelay");
    }

    /** Registers the gauge in {@code metrics}; at most once per registry. */
    public void register(PrometheusMetrics metrics) {
        metrics.gauge(NAME, "1 while the server-wide policy forces relaying (im.vector.riot.forceTurn), else 0",
                this::value);
    }

    /** The value a scrape reports now. */
    public long value() {
        try {
            serverForcesRelay.get().whenComplete((forced, failure) -> {
                if (failure == null && forced != null) {
                    last.set(forced ? 1 : 0);
                }
            });
        } catch (RuntimeException e) {
            // the policy could not even be asked: keep the last answer
        }
        return last.get();
    }
}
