package dev.tern.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings every policy source has, whatever its type: its name in explanations, what happens when
 * it cannot answer, and how long it may take.
 *
 * <p>Immutable and thread-safe.
 *
 * @param name the name shown by {@code policy explain} (config {@code name}, default {@code type#index})
 * @param onError what to do when the source fails or times out
 * @param timeout the longest a request waits for this source
 */
public record PolicySourceSettings(String name, OnError onError, Duration timeout) {

    /** The default time a request waits for a source. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    /** What the engine does when a source cannot answer in time. */
    public enum OnError {
        /**
         * Force relay, merged most restrictively with every answer the source's rules can give
         * ({@link PolicySource#possibleAnswers()}): fail towards hiding IP addresses, and never grant what the
         * source would refuse (the default).
         */
        FAIL_CLOSED,
        /** Use the source's last successful answer for the same subject, else as {@link #FAIL_CLOSED}. */
        LAST_KNOWN,
        /** Act as if the source had no opinion. */
        IGNORE
    }

    public PolicySourceSettings {
        Objects.requireNonNull(name, "name");
        onError = onError == null ? OnError.FAIL_CLOSED : onError;
        timeout = SettingChecks.positive("timeout", timeout, DEFAULT_TIMEOUT);
    }
}
