package dev.tern.admin.metrics;

import dev.tern.spi.MetricsRecorder;
import dev.tern.spi.RelayListener;
import dev.tern.spi.RelayServer;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Tern's metrics in a Prometheus registry: a {@link MetricsRecorder} for providers (each counter name
 * becomes a Prometheus counter, each timer name a histogram in seconds, tags become labels), a
 * {@link RelayListener} for the relay's events, a gauge of live allocations and one of the data plane running. Scraped in the
 * Prometheus text format by {@link #writeTo(OutputStream)}.
 *
 * <p>Typical wiring: create one, hand it to providers as their {@code MetricsRecorder} (bind it in Guice),
 * then call {@link #watch(RelayServer)} once the relay exists.
 *
 * <p>Thread-safe; recording never blocks and never throws. A metric name used with a different set of tag
 * keys than the first time is recorded with the first set (missing tags empty, extra tags dropped, logged
 * once); an invalid name is sanitized. Tag values must come from small fixed sets: never pass user ids.
 */
public final class PrometheusMetrics implements MetricsRecorder {

    private final PrometheusRegistry registry;
    private final ProviderMetricFamilies families;
    private final RelayMetrics relayMetrics;
    private final AtomicReference<RelayServer> watched = new AtomicReference<>();

    /** Metrics in a registry of their own. */
    public PrometheusMetrics() {
        this(new PrometheusRegistry());
    }

    /** Metrics in the given registry (to share it with a host's own metrics). */
    public PrometheusMetrics(PrometheusRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.families = new ProviderMetricFamilies(registry);
        this.relayMetrics = new RelayMetrics(registry);
        GaugeWithCallback.builder()
                .name("tern_relay_allocations")
                .help("Live relay allocations")
                .callback(cb -> {
                    RelayServer relay = watched.get();
                    cb.call(relay == null ? 0 : relay.allocations().size());
                })
                .register(registry);
        GaugeWithCallback.builder()
                .name("tern_relay_data_plane")
                .help("The data plane forwarding bound UDP channels: 1 for the one running, by plane (user, kernel)")
                .labelNames("plane")
                .callback(cb -> {
                    RelayServer relay = watched.get();
                    for (RelayListener.Plane p : RelayListener.Plane.values()) {
                        cb.call(relay != null && relay.dataPlane().plane() == p ? 1 : 0, RelayMetrics.label(p));
                    }
                })
                .register(registry);
    }

    @Override
    public void count(String name, Map<String, String> tags, long amount) {
        families.count(name, tags, amount);
    }

    @Override
    public void time(String name, Map<String, String> tags, Duration duration) {
        families.time(name, tags, duration);
    }

    /** The listener that turns relay events into metrics; add it to a relay yourself or use {@link #watch}. */
    public RelayListener relayListener() {
        return relayMetrics;
    }

    /**
     * Adds {@link #relayListener()} to this relay and reports its live allocations as
     * {@code tern_relay_allocations}; starts the quota refusals of each of its
     * {@linkplain RelayServer#refusalReasons() refusal reasons} at 0.
     *
     * @throws IllegalStateException if a relay is already watched
     */
    public void watch(RelayServer relay) {
        Objects.requireNonNull(relay, "relay");
        if (!watched.compareAndSet(null, relay)) {
            throw new IllegalStateException("a relay is already watched by these metrics");
        }
        relayMetrics.knowRefusals(relay.refusalReasons());
        relay.addListener(relayMetrics);
    }

    /**
     * Adds a gauge read from {@code value} at each scrape, for a host's own live counts (e.g. the Matrix
     * endpoints' token buckets). {@code value} must be cheap and thread-safe.
     *
     * @throws IllegalArgumentException if a metric of that name exists already
     */
    public void gauge(String name, String help, LongSupplier value) {
        Objects.requireNonNull(value, "value");
        GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsLong())).register(registry);
    }

    /** The registry, to add a host's own metrics or to scrape it another way. */
    public PrometheusRegistry registry() {
        return registry;
    }

    /** Writes every metric in the Prometheus text format (version 0.0.4). */
    public void writeTo(OutputStream out) throws IOException {
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
    }

    /** Every metric in the Prometheus text format, as a string. */
    public String scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The content type of {@link #writeTo(OutputStream)}'s output. */
    public static String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }
}
