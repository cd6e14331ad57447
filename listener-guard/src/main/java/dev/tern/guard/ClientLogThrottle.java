package dev.tern.guard;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides which log lines caused by client input get written, so that a client cannot flood the log: at
 * most one line per key (a client address, a user id) per interval, and the line it lets through carries
 * how many events it stands for. Every such line in Tern's HTTP endpoints and relay goes through one.
 *
 * <pre>
 * throttle.admit(address).ifPresent(line -&gt;
 *         LOG.info("refused a connection from {} ({} since the last such line)", line.key(), line.count()));
 * </pre>
 *
 * <p>Memory is bounded: at most {@code maxKeys} keys are tracked; once that many have a window open, events
 * for further keys are counted together under {@link #OTHER_KEYS} (one line per interval for all of them),
 * so rotating addresses cannot buy a line each. Events of a window that no later event follows are not
 * reported (the next line for the key counts them).
 *
 * <p>Thread-safe; one lock, taken only on paths that already refuse or report something (never the
 * forwarding path). Time comes from the clock given.
 */
public final class ClientLogThrottle {

    /** The interval Tern uses: one line per key per minute. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);
    /** The keys Tern tracks per throttle. */
    public static final int DEFAULT_MAX_KEYS = 1024;
    /** The key a line carries when it stands for keys past {@code maxKeys}. */
    public static final String OTHER_KEYS = "other addresses";

    private final Clock clock;
    private final long intervalMillis;
    private final int maxKeys;
    private final Map<Key, Window> windows = new LinkedHashMap<>();
    private long lastSweep = Long.MIN_VALUE;

    /**
     * @param interval at most one line per key in this time (positive)
     * @param maxKeys how many keys are tracked one by one (at least 1)
     */
    public ClientLogThrottle(Clock clock, Duration interval, int maxKeys) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (interval.isNegative() || interval.isZero() || maxKeys < 1) {
            throw new IllegalArgumentException("interval must be positive and maxKeys at least 1");
        }
        this.intervalMillis = interval.toMillis();
        this.maxKeys = maxKeys;
    }

    /** A throttle with {@link #DEFAULT_INTERVAL} and {@link #DEFAULT_MAX_KEYS}. */
    public static ClientLogThrottle perMinute(Clock clock) {
        return new ClientLogThrottle(clock, DEFAULT_INTERVAL, DEFAULT_MAX_KEYS);
    }

    /** A line to write: for {@code key} (or {@link #OTHER_KEYS}), standing for {@code count} events (at least 1). */
    public record Line(String key, long count) {
    }

    /**
     * Counts one event for {@code key} and says whether to write its line now.
     *
     * @return the line to write, or empty to stay quiet (the event is counted into the next line)
     */
    public Optional<Line> admit(String key) {
        return admit("", key);
    }

    /**
     * Counts one event of a kind of line (one throttle can serve several lines: {@code "rate-limited"},
     * {@code "refused"}) for {@code key} and says whether to write its line now.
     *
     * @return the line to write, or empty to stay quiet (the event is counted into the next line)
     */
    public synchronized Optional<Line> admit(String kind, String key) {
        long now = clock.millis();
        String shown = key;
        Window window = windows.get(new Key(kind, key));
        if (window == null && windows.size() >= maxKeys) {
            sweep(now);
            if (windows.size() >= maxKeys) {
                shown = OTHER_KEYS;
                window = windows.get(new Key(kind, OTHER_KEYS));
            }
        }
        if (window == null) {
            windows.put(new Key(kind, shown), new Window(now));
            return Optional.of(new Line(shown, 1));
        }
        window.events++;
        if (now - window.start < intervalMillis) {
            return Optional.empty();
        }
        long count = window.events;
        window.start = now;
        window.events = 0;
        return Optional.of(new Line(shown, count));
    }

    /** The number of keys tracked now (for tests of the bound). */
    synchronized int trackedKeys() {
        return windows.size();
    }

    // Drops windows that ended with nothing left to report, so quiet keys make room for new ones. At most
    // once a second: under a flood from rotating addresses every event would otherwise scan the whole table.
    private void sweep(long now) {
        if (lastSweep != Long.MIN_VALUE && now - lastSweep < Math.min(intervalMillis, 1000)) {
            return;
        }
        lastSweep = now;
        for (Iterator<Window> it = windows.values().iterator(); it.hasNext(); ) {
            Window w = it.next();
            if (now - w.start >= intervalMillis && w.events == 0) {
                it.remove();
            }
        }
    }

    private record Key(String kind, String key) {
    }

    private static final class Window {
        long start;
        long events;

        Window(long start) {
            this.start = start;
        }
    }
}
