package dev.tern.admin.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counters and histograms created on first use from the names and tags providers report through
 * {@code MetricsRecorder}. The first call fixes a family's label names.
 *
 * <p>Thread-safe; never throws to the caller.
 */
final class ProviderMetricFamilies {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderMetricFamilies.class);

    /** The most label-value combinations one family keeps; later new ones are folded into "other". */
    static final int MAX_SERIES_PER_METRIC = 500;

    /** A family, the label names its first use fixed, and the label values seen so far. */
    private record Family<M>(M metric, List<String> labelNames, Set<List<String>> series) {
        /** A family with no series seen yet. */
        static <M> Family<M> fresh(M metric, List<String> labelNames) {
            return new Family<>(metric, labelNames, ConcurrentHashMap.newKeySet());
        }
    }

    private final PrometheusRegistry registry;
    private final Map<String, Family<Counter>> counters = new ConcurrentHashMap<>();
    private final Map<String, Family<Histogram>> timers = new ConcurrentHashMap<>();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    ProviderMetricFamilies(PrometheusRegistry registry) {
        this.registry = registry;
    }

    void count(String name, Map<String, String> tags, long amount) {
        if (amount < 0) {
            warnOnce(name + "/negative", "Counter {} was given a negative amount; counters only go up", name);
            return;
        }
        Family<Counter> family = counters.computeIfAbsent(name, n -> register(n, tags, labels -> Counter.builder()
                .name(PrometheusNaming.sanitizeMetricName(n))
                .help("Reported by a Tern provider as " + n)
                .labelNames(labels)
                .register(registry)));
        if (family != null) {
            family.metric().labelValues(values(name, family, tags)).inc(amount);
        }
    }

    void time(String name, Map<String, String> tags, Duration duration) {
        Family<Histogram> family = timers.computeIfAbsent(name, n -> register(n, tags, labels -> Histogram.builder()
                .name(PrometheusNaming.sanitizeMetricName(n.endsWith("_seconds") ? n : n + "_seconds"))
                .help("Reported by a Tern provider as " + n + ", in seconds")
                .labelNames(labels)
                .classicOnly()
                .register(registry)));
        if (family != null) {
            family.metric().labelValues(values(name, family, tags)).observe(duration.toNanos() / 1e9);
        }
    }

    private interface Registration<M> {
        M register(String[] labelNames);
    }

    private <M> Family<M> register(String name, Map<String, String> tags, Registration<M> registration) {
        List<String> labelNames = List.copyOf(new TreeSet<>(tags.keySet()));
        String[] sanitized = labelNames.stream().map(PrometheusNaming::sanitizeLabelName).toArray(String[]::new);
        try {
            return Family.fresh(registration.register(sanitized), labelNames);
        } catch (RuntimeException e) {
            // Two providers claiming one name with different kinds, or a name the registry refuses.
            warnOnce(name + "/register", "Metric {} cannot be registered and is dropped: {}", name, e.getMessage());
            return null;
        }
    }

    private String[] values(String name, Family<?> family, Map<String, String> tags) {
        if (!family.labelNames().containsAll(tags.keySet())) {
            warnOnce(name + "/tags", "Metric {} was reported with tags {} but was first reported with {}; extra tags dropped",
                    name, tags.keySet(), family.labelNames());
        }
        String[] values = new String[family.labelNames().size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = tags.getOrDefault(family.labelNames().get(i), "");
        }
        List<String> series = List.of(values);
        if (!family.series().contains(series)) {
            if (family.series().size() >= MAX_SERIES_PER_METRIC) {
                // Unbounded tag values (a user id passed by mistake) must not grow the registry forever.
                warnOnce(name + "/cardinality", "Metric {} has more than {} tag combinations; tag values must come "
                        + "from small fixed sets, never user ids; further new values are recorded as \"other\"",
                        name, MAX_SERIES_PER_METRIC);
                java.util.Arrays.fill(values, "other");
                return values;
            }
            family.series().add(series);
        }
        return values;
    }

    private void warnOnce(String key, String message, Object... args) {
        if (warned.add(key)) {
            LOG.warn(message, args);
        }
    }
}
