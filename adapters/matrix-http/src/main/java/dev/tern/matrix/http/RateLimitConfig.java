package dev.tern.matrix.http;

import dev.tern.spi.InvalidSettingException;

/**
 * {@code matrix.rate_limit}: a token bucket per user for {@code /voip/turnServer}.
 *
 * <p>Immutable and thread-safe. A bad value throws {@link InvalidSettingException} naming the key.
 *
 * @param perSecond requests a user may make per second on average (default 1; above 0, at most 10000)
 * @param burst requests a user may make at once before being slowed down (default 10, at least 1)
 * @param maxUsers how many users' buckets are kept (default 100000); the least recently seen are dropped
 */
public record RateLimitConfig(Double perSecond, Integer burst, Integer maxUsers) {

    /** The defaults: 1 per second, burst of 10. */
    public static final RateLimitConfig DEFAULT = new RateLimitConfig(null, null, null);

    public RateLimitConfig {
        perSecond = perSecond == null ? 1.0 : perSecond;
        if (!(perSecond > 0) || perSecond > 10_000 || perSecond.isInfinite()) {
            throw new InvalidSettingException("per_second", "must be above 0 and at most 10000, like 0.5 or 2");
        }
        burst = burst == null ? 10 : burst;
        if (burst < 1) {
            throw new InvalidSettingException("burst", "must be at least 1, like 10");
        }
        maxUsers = maxUsers == null ? 100_000 : maxUsers;
        if (maxUsers < 1) {
            throw new InvalidSettingException("max_users", "must be at least 1, like 100000");
        }
    }
}
