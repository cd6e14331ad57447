package dev.tern.launcher;

import dev.tern.host.DurationText;
import java.time.Duration;

/** Reads a duration given on the command line, with config's spelling ({@code 10s}, {@code 1h}). Stateless. */
final class Durations {

    private Durations() {
    }

    /** @throws LauncherException naming the option when the text is not a duration */
    static Duration option(String option, String text) {
        try {
            Duration duration = DurationText.parse(text);
            if (duration.isNegative()) {
                throw new IllegalArgumentException(DurationText.EXPECTED);
            }
            return duration;
        } catch (IllegalArgumentException e) {
            throw new LauncherException(option + ": '" + text + "' is not " + DurationText.EXPECTED);
        }
    }
}
