package dev.tern.spi;

import java.time.Duration;
import java.util.Map;

/**
 * A small, dependency-free hook through which providers report metrics; the host maps it onto its
 * metrics library. Tag values must come from small fixed sets (never user ids).
 *
 * <p>Implementations are thread-safe and cheap to call.
 */
public interface MetricsRecorder {

    /** A recorder that drops everything. */
    MetricsRecorder NONE = new MetricsRecorder() {
        @Override
        public void count(String name, Map<String, String> tags, long amount) {
        }

        @Override
        public void time(String name, Map<String, String> tags, Duration duration) {
        }
    };

    /** Adds {@code amount} to the counter {@code name} with these tags. */
    void count(String name, Map<String, String> tags, long amount);

    /** Records one duration of the timer {@code name} with these tags. */
    void time(String name, Map<String, String> tags, Duration duration);
}
