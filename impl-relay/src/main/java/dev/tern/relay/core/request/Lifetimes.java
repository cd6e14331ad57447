package dev.tern.relay.core.request;

import dev.tern.spi.Verification;
import java.time.Clock;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * How long an allocation is granted: the default when none is asked, at least the default, at most the maximum,
 * and with {@code strictExpiry} no longer than the credentials stay valid (at least 1 s).
 *
 * <p>Immutable and thread-safe.
 *
 * @param defaultLifetime granted when none is asked (RFC 8656: 600 s)
 * @param maxLifetime the longest granted (RFC 8656: 3600 s)
 * @param strictExpiry whether the credentials' expiry caps it
 * @param clock wall-clock time, for the credentials' expiry
 */
public record Lifetimes(Duration defaultLifetime, Duration maxLifetime, boolean strictExpiry, Clock clock) {

    /** The lifetime granted, in seconds, for {@code requested} (which is not 0). */
    public long seconds(OptionalLong requested, Verification.Accepted credentials) {
        long def = defaultLifetime.toSeconds();
        long lifetime = requested.isEmpty() ? def
                : Math.min(Math.max(requested.getAsLong(), def), maxLifetime.toSeconds());
        if (strictExpiry && credentials.expiresAt().isPresent()) {
            long left = credentials.expiresAt().get().getEpochSecond() - clock.instant().getEpochSecond();
            lifetime = Math.max(1, Math.min(lifetime, left));
        }
        return lifetime;
    }
}
