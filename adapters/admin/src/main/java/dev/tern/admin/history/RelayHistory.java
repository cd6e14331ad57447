package dev.tern.admin.history;

import dev.tern.spi.RelayStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last minutes of each relay's allocations and relayed bit rate, for the admin page's charts, sampled from
 * {@code source} (the fleet's live relays, or this relay alone) every {@code interval}. Bounded: at most
 * {@code window / interval} samples per relay and at most {@link #MAX_RELAYS} relays (the fleet's store is input
 * from other processes); a relay not seen for a whole window is forgotten.
 *
 * <p>Thread-safe. {@link #sample()} never throws (a failing source is logged and skipped);
 * {@link #close()} stops the sampling thread (idempotent).
 */
public final class RelayHistory implements AutoCloseable {

    /** The most relays whose history is kept; further relays of a larger fleet are left out of the charts. */
    public static final int MAX_RELAYS = 64;

    /** One sample of one relay. */
    public record Sample(Instant at, int allocations, long bitsPerSecond) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(RelayHistory.class);

    private final Supplier<List<RelayStatus>> source;
    private final Clock clock;
    private final Duration interval;
    private final Duration window;
    private final int capacity;
    private final Map<String, Deque<Sample>> series = new LinkedHashMap<>();
    private List<RelayStatus> latest = List.of();
    private ScheduledExecutorService scheduler;

    /**
     * A history not yet sampling; call {@link #sample()} or {@link #start()}.
     *
     * @throws IllegalArgumentException unless {@code 0 < interval <= window}
     */
    public RelayHistory(Supplier<List<RelayStatus>> source, Clock clock, Duration interval, Duration window) {
        this.source = Objects.requireNonNull(source, "source");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (interval.isNegative() || interval.isZero() || interval.compareTo(window) > 0) {
            throw new IllegalArgumentException("the history's interval must be positive and at most its window");
        }
        this.interval = interval;
        this.window = window;
        this.capacity = (int) Math.max(1, window.toMillis() / interval.toMillis());
    }

    /** Samples now (on the caller's thread), then every interval on a daemon thread of its own. */
    public synchronized RelayHistory start() {
        if (scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "tern-admin-history");
                t.setDaemon(true);
                return t;
            });
            sample(); // the first sample before start returns, so the history is never empty behind a live relay
            scheduler.scheduleAtFixedRate(this::sample, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /** Takes one sample of every relay the source lists. */
    public void sample() {
        List<RelayStatus> relays;
        try {
            relays = List.copyOf(source.get());
        } catch (RuntimeException e) {
            LOG.warn("admin history: the relays' figures could not be read ({}); no sample this time",
                    e.getClass().getSimpleName());
            return;
        }
        Instant now = clock.instant();
        synchronized (this) {
            List<RelayStatus> kept = new ArrayList<>();
            for (RelayStatus relay : relays) {
                Deque<Sample> samples = series.get(relay.relayId());
                if (samples == null) {
                    if (series.size() >= MAX_RELAYS) {
                        continue;
                    }
                    samples = new ArrayDeque<>();
                    series.put(relay.relayId(), samples);
                }
                kept.add(relay);
                samples.addLast(new Sample(now, relay.load().allocations(), relay.load().relayedBitsPerSecond()));
                while (samples.size() > capacity) {
                    samples.removeFirst();
                }
            }
            Instant forgotten = now.minus(window);
            series.values().removeIf(s -> s.peekLast().at().isBefore(forgotten));
            latest = List.copyOf(kept);
        }
    }

    /** Each relay's samples, oldest first, in the order the relays were first seen. */
    public synchronized Map<String, List<Sample>> series() {
        Map<String, List<Sample>> copy = new LinkedHashMap<>();
        series.forEach((id, samples) -> copy.put(id, List.copyOf(samples)));
        return copy;
    }

    /** The relays as of the last sample (the fleet table). */
    public synchronized List<RelayStatus> latest() {
        return latest;
    }

    /** The time between samples. */
    public Duration interval() {
        return interval;
    }

    /** How far back the history goes. */
    public Duration window() {
        return window;
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
