package dev.tern.policy;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads durations as Tern's config writes them: {@code 500ms}, {@code 90s}, {@code 10m}, {@code 1h},
 * {@code 1d}, or ISO-8601 ({@code PT90S}). Used for the policy file, which Tern parses itself.
 *
 * <p>Stateless and thread-safe.
 */
public final class DurationText {

    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private DurationText() {
    }

    /**
     * Parses the text.
     *
     * @throws IllegalArgumentException naming the text and the forms accepted
     */
    public static Duration parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = SHORT.matcher(t);
        try {
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
            return Duration.parse(text.trim());
        } catch (ArithmeticException | NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (expected 500ms, 90s, 10m, 1h, 1d "
                    + "or ISO-8601 like PT90S)");
        }
    }
}
