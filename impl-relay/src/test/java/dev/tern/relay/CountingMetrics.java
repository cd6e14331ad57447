package dev.tern.relay;

import dev.tern.spi.MetricsRecorder;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The relay fixture's metrics: counters by name and tags, for tests to read. Thread-safe. */
final class CountingMetrics implements MetricsRecorder {

    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    @Override
    public void count(String name, Map<String, String> tags, long amount) {
        counts.computeIfAbsent(key(name, tags), k -> new AtomicLong()).addAndGet(amount);
    }

    @Override
    public void time(String name, Map<String, String> tags, Duration duration) {
    }

    /** The counter {@code name} with exactly these tags (0 when never counted). */
    long count(String name, Map<String, String> tags) {
        AtomicLong n = counts.get(key(name, tags));
        return n == null ? 0 : n.get();
    }

    private static String key(String name, Map<String, String> tags) {
        return name + new TreeMap<>(tags);
    }
}
