package dev.tern.matrix.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;

/**
 * A token bucket per key (a user, a client address): {@code burst} requests at once, refilled at
 * {@code perSecond}. Buckets live in a bounded Caffeine cache and are forgotten once full again, so memory
 * stays bounded however many keys ask; when more than {@code maxKeys} are active, the least recently seen
 * are dropped (and start full when seen again).
 *
 * <p>Thread-safe. Time comes from the injected clock.
 */
final class TokenBuckets {

    private final double perMilli;
    private final double burst;
    private final Clock clock;
    private final Cache<String, Bucket> buckets;

    TokenBuckets(double perSecond, int burst, int maxKeys, Clock clock) {
        this.perMilli = perSecond / 1000.0;
        this.burst = burst;
        this.clock = clock;
        long refillMillis = (long) Math.ceil(burst / perMilli);
        this.buckets = Caffeine.newBuilder()
                .maximumSize(maxKeys)
                .ticker(() -> clock.millis() * 1_000_000L)
                .expireAfterAccess(Duration.ofMillis(Math.max(1, refillMillis)))
                .build();
    }

    /** Buckets for {@code matrix.rate_limit}: one per user. */
    static TokenBuckets perUser(RateLimitConfig config, Clock clock) {
        return new TokenBuckets(config.perSecond(), config.burst(), config.maxUsers(), clock);
    }

    /** Buckets for {@code matrix.unknown_token_limit}: one per client address (IPv6: per /64). */
    static TokenBuckets perAddress(UnknownTokenLimitConfig config, Clock clock) {
        return new TokenBuckets(config.perSecond(), config.burst(), config.maxAddresses(), clock);
    }

    /**
     * Takes one request from the key's bucket.
     *
     * @return 0 when allowed, otherwise how many milliseconds until the next request would be allowed
     */
    long acquire(String key) {
        long now = clock.millis();
        Bucket bucket = buckets.get(key, k -> new Bucket(burst, now));
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

    /**
     * Gives back a request {@link #acquire} took, for one that turned out not to count (the bucket never
     * holds more than {@code burst}). A key whose bucket was dropped meanwhile is left alone: it starts full.
     */
    void refund(String key) {
        Bucket bucket = buckets.getIfPresent(key);
        if (bucket != null) {
            synchronized (bucket) {
                bucket.tokens = Math.min(burst, bucket.tokens + 1);
            }
        }
    }

    /**
     * Buckets held now. Expired buckets are dropped first: Caffeine drops them lazily, and a count that
     * includes them would say a key is still limited after its bucket refilled.
     */
    long size() {
        buckets.cleanUp();
        return buckets.estimatedSize();
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
