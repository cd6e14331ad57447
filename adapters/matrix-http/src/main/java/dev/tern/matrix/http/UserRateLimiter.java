package dev.tern.matrix.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;

/**
 * A token bucket per user: {@code burst} requests at once, refilled at {@code per_second}. Buckets live in a
 * bounded Caffeine cache and are forgotten once full again, so memory stays bounded however many users ask.
 *
 * <p>Thread-safe. Time comes from the injected clock.
 */
final class UserRateLimiter {

    private final double perMilli;
    private final double burst;
    private final Clock clock;
    private final Cache<String, Bucket> buckets;

    UserRateLimiter(RateLimitConfig config, Clock clock) {
        this.perMilli = config.perSecond() / 1000.0;
        this.burst = config.burst();
        this.clock = clock;
        long refillMillis = (long) Math.ceil(burst / perMilli);
        this.buckets = Caffeine.newBuilder()
                .maximumSize(config.maxUsers())
                .ticker(() -> clock.millis() * 1_000_000L)
                .expireAfterAccess(Duration.ofMillis(Math.max(1, refillMillis)))
                .build();
    }

    /**
     * Takes one request from the user's bucket.
     *
     * @return 0 when allowed, otherwise how many milliseconds until the next request would be allowed
     */
    long acquire(String userId) {
        long now = clock.millis();
        Bucket bucket = buckets.get(userId, k -> new Bucket(burst, now));
        synchronized (bucket) {
            bucket.tokens = Math.min(burst, bucket.tokens + Math.max(0, now - bucket.updated) * perMilli);
            bucket.updated = Math.max(bucket.updated, now);
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - bucket.tokens) / perMilli));
        }
    }

    private static final class Bucket {
        double tokens;
        long updated;

        Bucket(double tokens, long updated) {
            this.tokens = tokens;
            this.updated = updated;
        }
    }
}
