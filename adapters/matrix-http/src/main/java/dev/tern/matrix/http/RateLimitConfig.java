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
        perSecond = rate("per_second", perSecond, 1.0);
        burst = atLeastOne("burst", burst, 10);
        maxUsers = atLeastOne("max_users", maxUsers, 100_000);
    }

    /** A refill rate: {@code fallback} when absent, else above 0 and at most 10000 per second. */
    static double rate(String key, Double value, double fallback) {
        double v = value == null ? fallback : value;
        if (!(v > 0) || v > 10_000) {
            throw new InvalidSettingException(key, "must be above 0 and at most 10000, like 0.5 or 2");
        }
        return v;
    }

    /** A count: {@code fallback} when absent, else at least 1. */
    static int atLeastOne(String key, Integer value, int fallback) {
        int v = value == null ? fallback : value;
        if (v < 1) {
            throw new InvalidSettingException(key, "must be at least 1, like " + fallback);
        }
        return v;
    }
}
