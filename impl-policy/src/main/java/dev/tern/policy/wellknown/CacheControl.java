package dev.tern.policy.wellknown;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads how long a response may be kept from its {@code Cache-Control} header: {@code max-age=N}
 * gives N seconds; {@code no-store} and {@code no-cache} give zero. The caller clamps the result
 * between its floor and ceiling.
 *
 * <p>Stateless and thread-safe. Malformed directives are ignored.
 */
final class CacheControl {

    private CacheControl() {
    }

    /** The freshness the header allows, if it says. */
    static Optional<Duration> maxAge(Optional<String> header) {
        if (header.isEmpty()) {
            return Optional.empty();
        }
        Optional<Duration> found = Optional.empty();
        for (String directive : header.get().toLowerCase(Locale.ROOT).split(",")) {
            String d = directive.trim();
            if (d.equals("no-store") || d.equals("no-cache")) {
                return Optional.of(Duration.ZERO);
            }
            if (d.startsWith("max-age=")) {
                try {
                    found = Optional.of(Duration.ofSeconds(Long.parseLong(d.substring(8).replace("\"", "").trim())));
                } catch (NumberFormatException e) {
                    // ignore a malformed max-age, as HTTP caches do
                }
            }
        }
        return found;
    }

    /** The value clamped between the floor and the ceiling. */
    static Duration clamp(Duration value, Duration floor, Duration ceiling) {
        return value.compareTo(floor) < 0 ? floor : value.compareTo(ceiling) > 0 ? ceiling : value;
    }
}
