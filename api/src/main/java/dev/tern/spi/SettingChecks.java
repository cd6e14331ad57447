package dev.tern.spi;

import java.time.Duration;

/**
 * The range checks that config records run in their constructors, written once so every module words
 * them alike: a setting left out ({@code null}) takes its default, a setting out of range throws an
 * {@link InvalidSettingException} naming the key, the accepted range and an example (the default).
 *
 * <p>The defaults themselves are not checked: they are the caller's constants. Stateless and
 * thread-safe; the messages contain only the key and numbers, never the value of a secret.
 */
public final class SettingChecks {

    private SettingChecks() {
    }

    /**
     * A duration that must be above zero.
     *
     * @param key the key, relative to the section
     * @param value the configured value, {@code null} when left out
     * @param fallback what a left-out value means; may be {@code null} for a setting without default
     * @return {@code value}, or {@code fallback} when {@code value} is {@code null}
     * @throws InvalidSettingException when {@code value} is zero or negative
     */
    public static Duration positive(String key, Duration value, Duration fallback) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new InvalidSettingException(key, "must be positive" + (fallback == null ? "" : ", like "
                    + spell(fallback)));
        }
        return value;
    }

    /**
     * A duration that must lie from {@code min} to {@code max}, both included.
     *
     * @return {@code value}, or {@code fallback} when {@code value} is {@code null}
     * @throws InvalidSettingException when {@code value} lies outside the range
     */
    public static Duration within(String key, Duration value, Duration fallback, Duration min, Duration max) {
        if (value == null) {
            return fallback;
        }
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new InvalidSettingException(key, "must be between " + spell(min) + " and " + spell(max) + ", like "
                    + spell(fallback));
        }
        return value;
    }

    /**
     * A whole number that must lie from {@code min} to {@code max}, both included.
     *
     * @return {@code value}, or {@code fallback} when {@code value} is {@code null}
     * @throws InvalidSettingException when {@code value} lies outside the range
     */
    public static int within(String key, Integer value, int fallback, int min, int max) {
        if (value == null) {
            return fallback;
        }
        if (value < min || value > max) {
            throw new InvalidSettingException(key, "must be between " + min + " and " + max + ", like " + fallback);
        }
        return value;
    }

    /**
     * A whole number that, when given, must be at least {@code min}.
     *
     * @return {@code value} as given, {@code null} included
     * @throws InvalidSettingException when {@code value} is below {@code min}
     */
    public static Integer atLeast(String key, Integer value, int min) {
        if (value != null && value < min) {
            throw new InvalidSettingException(key, "must be at least " + min);
        }
        return value;
    }

    /**
     * The shortest config spelling of a duration, for messages: {@code 1h}, {@code 90s}, {@code 1h30m},
     * {@code 500ms}, {@code 0s}; a negative duration in ISO-8601.
     */
    public static String spell(Duration duration) {
        if (duration.isNegative()) {
            return duration.toString();
        }
        if (duration.isZero()) {
            return "0s";
        }
        StringBuilder text = new StringBuilder();
        long days = duration.toDays();
        Duration rest = duration.minusDays(days);
        append(text, days, "d");
        append(text, rest.toHours(), "h");
        append(text, rest.toMinutesPart(), "m");
        append(text, rest.toSecondsPart(), "s");
        append(text, rest.toMillisPart(), "ms");
        return text.length() == 0 ? duration.toString() : text.toString();
    }

    private static void append(StringBuilder text, long amount, String unit) {
        if (amount != 0) {
            text.append(amount).append(unit);
        }
    }
}
