package dev.tern.host;

import dev.tern.spi.SettingChecks;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as config writes them: {@code 500ms}, {@code 90s}, {@code 10m}, {@code 1h}, {@code 1d},
 * combinations such as {@code 1h30m}, a bare number of seconds ({@code 3600}), or ISO-8601
 * ({@code PT1H}).
 *
 * <p>Every module that reads durations (the config binder, policy files, plugins) uses this one
 * parser, so a duration that works in one place works everywhere. Stateless and thread-safe.
 */
public final class DurationText {

    /** What a duration looks like, for error messages. */
    public static final String EXPECTED = "a duration like 500ms, 90s, 10m, 1h, 1d, or ISO-8601 like PT1H "
            + "(a bare number means seconds)";

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private DurationText() {
    }

    /**
     * Parses a duration.
     *
     * @throws IllegalArgumentException when the text is not a duration; the message is {@link #EXPECTED}
     */
    public static Duration parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.isEmpty()) {
            throw new IllegalArgumentException(EXPECTED);
        }
        if (t.chars().allMatch(Character::isDigit)) {
            return seconds(t);
        }
        if (t.startsWith("p")) {
            try {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(EXPECTED);
            }
        }
        Matcher part = PART.matcher(t);
        Duration total = Duration.ZERO;
        int at = 0;
        while (at < t.length()) {
            if (!part.find(at) || part.start() != at) {
                throw new IllegalArgumentException(EXPECTED);
            }
            try {
                long amount = Long.parseLong(part.group(1));
                total = total.plus(switch (part.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                });
            } catch (ArithmeticException | NumberFormatException e) {
                throw new IllegalArgumentException(EXPECTED);
            }
            at = part.end();
        }
        return total;
    }

    /** A number of seconds, as a bare integer in config means. */
    public static Duration seconds(String digits) {
        try {
            return Duration.ofSeconds(Long.parseLong(digits));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(EXPECTED);
        }
    }

    /**
     * The config spelling of a duration, largest unit first, each unit once: {@code 1h}, {@code 1m30s} (for 90
     * seconds), {@code 1d2h}, {@code 500ms}; zero is {@code 0s}, a negative duration (or one below a millisecond)
     * its ISO-8601 text.
     */
    public static String format(Duration duration) {
        return SettingChecks.spell(duration);
    }
}
