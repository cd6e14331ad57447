package dev.tern.policy;

import dev.tern.spi.GroupDirectory;
import dev.tern.spi.PolicyDecision;
import dev.tern.spi.PolicyEvaluator;
import dev.tern.spi.SourceHealth;
import dev.tern.spi.Subject;
import dev.tern.spi.TurnPolicy;
import dev.tern.host.ConfiguredPolicySource;
import dev.tern.spi.MetricsRecorder;
import dev.tern.spi.PolicySource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Composes the configured policy sources: asks all of them at once, bounds each by its
 * {@code timeout}, replaces a failed answer according to its {@code on_error}, and merges the
 * answers field by field so that the most restrictive value wins (see {@link RestrictiveMerge});
 * {@code defaults} fill the fields no source answered. Every field of the decision carries the
 * source and rule that set it.
 *
 * <p>At construction the engine connects sources that know group memberships
 * ({@link PolicySource#groupDirectory()}, such as the {@code ldap} source) with sources that match on groups
 * ({@link PolicySource#groupConditions()}, such as the {@code file} source); with no directory, a source with rules on groups
 * is refused with a {@link SourceWiringException} naming it and the rules, since they could never match.
 *
 * <p>Thread-safe. {@link #decide} and {@link #decideServerWide} never block and their stages always
 * complete normally, at the latest when the slowest source's timeout has passed. {@link #close()}
 * closes every source (logging, not throwing, what fails to close) and is idempotent. The scheduler
 * belongs to the caller and is not shut down.
 *
 * <p>Each source's answer time is recorded as the timer {@value #SOURCE_TIMER} with the tags
 * {@code source} (the configured name) and {@code result} ({@code ok}, {@code error} or
 * {@code timeout}), so errors and latency are visible per source. {@link #sourceHealth()} says which
 * sources fail now (see {@link GuardedSource} for when a source counts as failing and as recovered).
 */
public final class PolicyEngine implements PolicyEvaluator {

    /** The timer each source's answer time is recorded under. */
    public static final String SOURCE_TIMER = "tern_policy_source";

    /**
     * The counter of source state changes, tags {@code source} and {@code state} ({@code failing} when a
     * source starts failing, {@code answering} when it really answers again): one of each per outage.
     */
    public static final String SOURCE_STATE_COUNTER = "tern_policy_source_state_changes";

    private static final Logger LOG = LoggerFactory.getLogger(PolicyEngine.class);

    private final TurnPolicy defaults;
    private final List<GuardedSource> sources;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param defaults {@code policy.defaults}: values for fields no source answers
     * @param sources the sources in config order (order decides provenance on ties)
     * @param clock the time source (for the {@code last_known} cache)
     * @param scheduler runs the timeouts; owned by the caller
     * @param metrics receives each source's answer time ({@value #SOURCE_TIMER}); {@link MetricsRecorder#NONE}
     *     for none
     */
    public PolicyEngine(TurnPolicy defaults, List<ConfiguredPolicySource> sources, Clock clock,
            ScheduledExecutorService scheduler, MetricsRecorder metrics) {
        this.defaults = Objects.requireNonNull(defaults, "defaults");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(metrics, "metrics");
        List<GuardedSource> guarded = new ArrayList<>();
        for (ConfiguredPolicySource source : sources) {
            guarded.add(new GuardedSource(Objects.requireNonNull(source, "source"), clock, scheduler, metrics));
        }
        this.sources = List.copyOf(guarded);
        connectGroups(sources);
    }

    /**
     * Hands the union of the directories to every group-aware source; with no directory, a source with
     * rules on groups is refused, since those rules could never match.
     */
    private static void connectGroups(List<ConfiguredPolicySource> configured) {
        List<PolicySource> sources = configured.stream().map(ConfiguredPolicySource::source).toList();
        List<GroupDirectory> directories = sources.stream()
                .flatMap(source -> source.groupDirectory().stream()).toList();
        if (directories.isEmpty()) {
            for (ConfiguredPolicySource source : configured) {
                List<String> conditions = source.source().groupConditions();
                if (!conditions.isEmpty()) {
                    throw new SourceWiringException(source.settings().name(), "", String.join("; ",
                            conditions) + ": matches on groups, but no configured source knows groups "
                            + "(an ldap source), so it could never match; add one, or remove the "
                            + "groups condition");
                }
            }
            return;
        }
        GroupDirectory all = GroupDirectory.union(directories);
        sources.forEach(source -> source.useGroupDirectory(all));
    }

    @Override
    public CompletionStage<PolicyDecision> decide(Subject subject) {
        Objects.requireNonNull(subject, "subject");
        return askAll(source -> source.evaluate(subject));
    }

    @Override
    public CompletionStage<PolicyDecision> decideServerWide() {
        return askAll(GuardedSource::evaluateServerWide);
    }

    private CompletionStage<PolicyDecision> askAll(Function<GuardedSource, CompletableFuture<NamedAnswer>> ask) {
        List<CompletableFuture<NamedAnswer>> pending = sources.stream().map(ask).toList();
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                .thenApply(done -> RestrictiveMerge.merge(defaults, pending.stream().map(CompletableFuture::join)
                        .toList()));
    }

    @Override
    public Map<String, SourceHealth> sourceHealth() {
        Map<String, SourceHealth> health = new LinkedHashMap<>();
        for (GuardedSource source : sources) {
            health.put(source.name(), source.health());
        }
        return Collections.unmodifiableMap(health);
    }

    @Override
    public Map<String, String> sourceProblems() {
        Map<String, String> problems = new LinkedHashMap<>();
        for (GuardedSource source : sources) {
            try {
                source.problem().ifPresent(problem -> problems.put(source.name(), problem));
            } catch (RuntimeException e) {
                problems.put(source.name(), "cannot report its state (" + e.getClass().getSimpleName() + ")");
            }
        }
        return problems;
    }

    /** The names of the sources, in config order. */
    public List<String> sourceNames() {
        return sources.stream().map(GuardedSource::name).toList();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (GuardedSource source : sources) {
            try {
                source.close();
            } catch (RuntimeException e) {
                LOG.warn("Policy source '{}' failed to close", source.name(), e);
            }
        }
    }
}
