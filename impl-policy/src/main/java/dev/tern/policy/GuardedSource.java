package dev.tern.policy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tern.host.DurationText;
import dev.tern.spi.PolicyDecision;
import dev.tern.spi.PolicyField;
import dev.tern.spi.SourceHealth;
import dev.tern.spi.Subject;
import dev.tern.spi.TurnPolicy;
import dev.tern.host.ConfiguredPolicySource;
import dev.tern.spi.MetricsRecorder;
import dev.tern.spi.PolicyAnswer;
import dev.tern.spi.PolicySource;
import dev.tern.spi.PolicySourceSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configured source as the engine uses it: every question is bounded by the source's
 * {@code timeout}, and a failure or timeout is turned into an answer by its {@code on_error}
 * setting, so the stage returned here always completes normally and never later than the timeout.
 *
 * <p>For {@code last_known} the source's successful answers are kept in a bounded cache (per
 * subject, ignoring the device id, which no source looks at; and one entry for the server-wide
 * answer). A failing source is logged once when it starts failing and once when it recovers, not
 * on every request, and each change is counted in {@link PolicyEngine#SOURCE_STATE_COUNTER}. A successful
 * answer is a recovery only while the source does not itself report its backend failing
 * ({@link PolicySource#health()}): answers from a cache, or server-wide answers that need no backend, do not
 * end an outage. {@code fail_closed} substitutes forced relaying merged most restrictively with every answer
 * the source could give ({@link PolicySource#possibleAnswers()}), so an outage never grants what the
 * reachable source would refuse. Each question's time and result go to {@link PolicyEngine#SOURCE_TIMER}.
 *
 * <p>Thread-safe.
 */
final class GuardedSource implements AutoCloseable {

    static final String FAIL_CLOSED_RULE = "on_error: fail_closed";
    static final String NOTHING_KNOWN_RULE = "on_error: last_known, nothing known yet, so fail_closed";
    static final String LAST_KNOWN_SUFFIX = " (last known, on_error: last_known)";
    static final int LAST_KNOWN_CAPACITY = 10_000;
    static final Duration LAST_KNOWN_MAX_AGE = Duration.ofDays(1);

    private static final Logger LOG = LoggerFactory.getLogger(GuardedSource.class);
    private static final PolicyAnswer FAIL_CLOSED = PolicyAnswer.byRule(FAIL_CLOSED_RULE,
            TurnPolicy.builder().forceRelay(true).build());
    private static final Object SERVER_WIDE = new Object();

    private final ConfiguredPolicySource configured;
    private final ScheduledExecutorService scheduler;
    private final Cache<Object, PolicyAnswer> lastKnown;
    /** Why the source cannot answer, or null while it answers. */
    private final AtomicReference<String> failure = new AtomicReference<>();
    private final MetricsRecorder metrics;
    private final Map<String, String> okTags;
    private final Map<String, String> errorTags;
    private final Map<String, String> timeoutTags;

    GuardedSource(ConfiguredPolicySource configured, Clock clock, ScheduledExecutorService scheduler,
            MetricsRecorder metrics) {
        this.configured = configured;
        this.scheduler = scheduler;
        this.metrics = metrics;
        this.okTags = Map.of("source", name(), "result", "ok");
        this.errorTags = Map.of("source", name(), "result", "error");
        this.timeoutTags = Map.of("source", name(), "result", "timeout");
        this.lastKnown = configured.settings().onError() == PolicySourceSettings.OnError.LAST_KNOWN
                ? Caffeine.newBuilder()
                        .maximumSize(LAST_KNOWN_CAPACITY)
                        .expireAfterWrite(LAST_KNOWN_MAX_AGE)
                        .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                        .executor(Runnable::run)
                        .build()
                : null;
    }

    /** The configured name. */
    String name() {
        return configured.settings().name();
    }

    /** The source's own report of a problem it answers through (see {@link PolicySource#problem()}). */
    Optional<String> problem() {
        return configured.source().problem();
    }

    /** This source's answer for the subject, or its {@code on_error} substitute. */
    CompletableFuture<NamedAnswer> evaluate(Subject subject) {
        Subject key = subject.deviceId().isPresent()
                ? new Subject(subject.userId(), subject.guest(), Optional.empty(), subject.remoteAddress())
                : subject;
        return guard(key, () -> configured.source().evaluate(subject));
    }

    /** This source's server-wide answer, or its {@code on_error} substitute. */
    CompletableFuture<NamedAnswer> evaluateServerWide() {
        return guard(SERVER_WIDE, () -> configured.source().evaluateServerWide());
    }

    private CompletableFuture<NamedAnswer> guard(Object key, Supplier<CompletionStage<PolicyAnswer>> ask) {
        long start = System.nanoTime();
        CompletableFuture<PolicyAnswer> bounded = new CompletableFuture<>();
        try {
            ask.get().whenComplete((answer, failure) -> {
                if (failure != null) {
                    bounded.completeExceptionally(failure);
                } else if (answer == null) {
                    bounded.completeExceptionally(new IllegalStateException("the source answered null"));
                } else {
                    bounded.complete(answer);
                }
            });
        } catch (RuntimeException e) {
            bounded.completeExceptionally(e);
        }
        if (!bounded.isDone()) {
            Duration timeout = configured.settings().timeout();
            ScheduledFuture<?> timer = scheduler.schedule(
                    () -> bounded.completeExceptionally(new TimeoutException("no answer within " + timeout)),
                    timeout.toNanos(), TimeUnit.NANOSECONDS);
            bounded.whenComplete((answer, failure) -> timer.cancel(false));
        }
        return bounded.handle((answer, failure) -> {
            Throwable cause = failure == null ? null : unwrap(failure);
            record(start, cause);
            return new NamedAnswer(name(), cause == null ? remember(key, answer) : substitute(key, cause));
        });
    }

    private void record(long start, Throwable failure) {
        Map<String, String> tags = failure == null ? okTags : failure instanceof TimeoutException ? timeoutTags : errorTags;
        try {
            metrics.time(PolicyEngine.SOURCE_TIMER, tags, Duration.ofNanos(System.nanoTime() - start));
        } catch (RuntimeException e) {
            LOG.debug("Recording policy source metrics failed", e);
        }
    }

    private PolicyAnswer remember(Object key, PolicyAnswer answer) {
        if (lastKnown != null) {
            lastKnown.put(key, answer);
        }
        boolean backendFailing = reportedHealth().map(health -> !health.answering()).orElse(false);
        String was = failure.get();
        if (was != null && !backendFailing && failure.compareAndSet(was, null)) {
            LOG.info("Policy source '{}' answers again", name());
            countStateChange("answering");
        }
        return answer;
    }

    private PolicyAnswer substitute(Object key, Throwable failure) {
        PolicySourceSettings.OnError onError = configured.settings().onError();
        if (this.failure.compareAndSet(null, healthDetail(failure))) {
            LOG.warn("Policy source '{}' cannot answer ({}); applying on_error: {} until it recovers", name(),
                    describe(failure), onError.name().toLowerCase(java.util.Locale.ROOT));
            countStateChange("failing");
        } else {
            LOG.debug("Policy source '{}' still cannot answer ({})", name(), describe(failure));
        }
        return switch (onError) {
            case IGNORE -> PolicyAnswer.NONE;
            case FAIL_CLOSED -> failClosed(FAIL_CLOSED_RULE);
            case LAST_KNOWN -> {
                PolicyAnswer known = lastKnown.getIfPresent(key);
                yield known == null ? failClosed(NOTHING_KNOWN_RULE) : markLastKnown(known);
            }
        };
    }

    /**
     * Forced relaying, merged most restrictively with every answer the source could give: what a reachable
     * source would refuse anyone stays refused. Each field's rule says it is the substitute and which of the
     * source's rules it stands for.
     */
    private PolicyAnswer failClosed(String rule) {
        List<PolicyAnswer> possible = configured.source().possibleAnswers();
        if (possible.isEmpty()) {
            return PolicyAnswer.byRule(rule, FAIL_CLOSED.policy());
        }
        List<NamedAnswer> answers = new ArrayList<>();
        answers.add(new NamedAnswer(name(), PolicyAnswer.byRule(rule, FAIL_CLOSED.policy())));
        for (PolicyAnswer answer : possible) {
            Map<PolicyField, String> rules = new EnumMap<>(PolicyField.class);
            answer.rules().forEach((field, ruleName) -> rules.put(field, rule + ", as rule '" + ruleName + "'"));
            answers.add(new NamedAnswer(name(), new PolicyAnswer(answer.policy(), rules)));
        }
        PolicyDecision merged = RestrictiveMerge.merge(TurnPolicy.EMPTY, answers);
        Map<PolicyField, String> rules = new EnumMap<>(PolicyField.class);
        merged.provenance().forEach((field, provenance) -> rules.put(field, provenance.rule()));
        return new PolicyAnswer(merged.policy(), rules);
    }

    /** How this source is doing: failing from a failed answer until it really answers again. */
    SourceHealth health() {
        String reason = failure.get();
        if (reason != null) {
            return SourceHealth.failing(reason);
        }
        return reportedHealth().filter(health -> !health.answering()).orElse(SourceHealth.ANSWERING);
    }

    private Optional<SourceHealth> reportedHealth() {
        try {
            return configured.source().health();
        } catch (RuntimeException e) {
            LOG.debug("Policy source '{}' failed to report its health", name(), e);
            return Optional.empty();
        }
    }

    /** A secret-free reason for health checks: the source's own, else the kind of failure. */
    private String healthDetail(Throwable failure) {
        Optional<SourceHealth> reported = reportedHealth().filter(health -> !health.answering());
        if (reported.isPresent()) {
            return reported.get().detail();
        }
        return failure instanceof TimeoutException
                ? "no answer within " + DurationText.format(configured.settings().timeout())
                : "failed: " + failure.getClass().getSimpleName();
    }

    private void countStateChange(String state) {
        try {
            metrics.count(PolicyEngine.SOURCE_STATE_COUNTER, Map.of("source", name(), "state", state), 1);
        } catch (RuntimeException e) {
            LOG.debug("Recording policy source metrics failed", e);
        }
    }

    private static PolicyAnswer markLastKnown(PolicyAnswer known) {
        Map<PolicyField, String> rules = new EnumMap<>(PolicyField.class);
        known.rules().forEach((field, rule) -> rules.put(field, rule + LAST_KNOWN_SUFFIX));
        return new PolicyAnswer(known.policy(), rules);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    @Override
    public void close() {
        configured.source().close();
        if (lastKnown != null) {
            lastKnown.invalidateAll();
        }
    }
}
