package dev.tern.relay.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.net.InetAddress;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs failed credential checks without letting a guesser flood the log: at most one line per username
 * and one per client address each {@code interval}, saying how many failures it stands for. The first
 * failure of a key is logged at once; later ones are counted and reported with the next failure after the
 * interval (failures of a key that has none for two intervals after them are reported only by the metrics).
 *
 * <p>All log throttling for authentication sits in this class, so that it can move onto a relay-wide
 * throttle for client-caused log lines in one place. Usernames are not secret but are client input: they
 * are logged cut to 64 characters with control characters replaced; passwords and keys never reach it.
 *
 * <p>Thread-safe; keeps at most {@code maxKeys} keys (the least recently used are dropped).
 */
public final class FailedCheckLog {

    private static final Logger LOG = LoggerFactory.getLogger(FailedCheckLog.class);
    private static final int SHOWN_CHARS = 64;

    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final Cache<String, Window> windows;
    private final Consumer<String> sink;

    /**
     * @param interval the shortest time between two lines for one key, positive
     * @param maxKeys keys tracked at once, at least 1
     * @param nanoTime monotonic time
     */
    public FailedCheckLog(Duration interval, int maxKeys, LongSupplier nanoTime) {
        this(interval, maxKeys, nanoTime, LOG::warn);
    }

    /** A log writing its lines to {@code sink} (tests read them there). */
    FailedCheckLog(Duration interval, int maxKeys, LongSupplier nanoTime, Consumer<String> sink) {
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
        this.sink = sink;
        this.windows = Caffeine.newBuilder().maximumSize(maxKeys).ticker(nanoTime::getAsLong)
                // Kept past the interval so the failures counted in it reach the next line.
                .expireAfterAccess(interval.multipliedBy(2)).build();
    }

    /**
     * Reports one failed check.
     *
     * @param userPaused whether the username's allowance is now used up
     * @param addressPaused whether the address's allowance is now used up
     */
    void failed(String username, InetAddress client, boolean userPaused, boolean addressPaused) {
        String user = printable(username);
        String address = client.getHostAddress();
        long seconds = Duration.ofNanos(intervalNanos).toSeconds();
        long forUser = due("user " + user);
        if (forUser > 0) {
            sink.accept(forUser + " failed credential check(s) for username '" + user + "' within " + seconds
                    + "s, the latest from " + address + (userPaused ? "; checks for this username are paused" : ""));
        }
        long fromAddress = due("address " + address);
        if (fromAddress > 0) {
            sink.accept(fromAddress + " failed credential check(s) from " + address + " within " + seconds
                    + "s, the latest for username '" + user + "'"
                    + (addressPaused ? "; checks from this address are paused" : ""));
        }
    }

    /** Counts one event for {@code key}: the number of events to report when a line is due now, else 0. */
    private long due(String key) {
        long now = nanoTime.getAsLong();
        Window w = windows.get(key, k -> new Window(now - intervalNanos));
        synchronized (w) {
            w.count++;
            if (now - w.lastLine < intervalNanos) {
                return 0;
            }
            long count = w.count;
            w.count = 0;
            w.lastLine = now;
            return count;
        }
    }

    /** The username as it may appear in a log line: at most 64 characters, no control characters. */
    static String printable(String username) {
        StringBuilder out = new StringBuilder(Math.min(username.length(), SHOWN_CHARS) + 1);
        for (int i = 0; i < username.length() && out.length() < SHOWN_CHARS; i++) {
            char c = username.charAt(i);
            int type = Character.getType(c);
            boolean unsafe = Character.isISOControl(c) || Character.isSurrogate(c)
                    || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
            out.append(unsafe ? '?' : c);
        }
        if (username.length() > SHOWN_CHARS) {
            out.append('…');
        }
        return out.toString();
    }

    private static final class Window {
        long lastLine;
        long count;

        Window(long lastLine) {
            this.lastLine = lastLine;
        }
    }
}
