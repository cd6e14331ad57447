package dev.tern.credentials.rest;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The TURN REST usernames this process issued to Matrix guests, each kept until it expires (plus the
 * clock-skew allowance), so that the verifier can tell an in-process relay that an allocation belongs to a
 * guest: a TURN REST username ({@code expiry:user}) does not say so, and Synapse's format is kept byte for
 * byte. Bounded: beyond {@link #CAPACITY} usernames the least recently issued are forgotten, and a
 * restart forgets all; a forgotten guest is then treated as a user until its credentials expire (policy
 * was still applied when they were issued).
 *
 * <p>Thread-safe; time comes from the injected clock.
 */
final class IssuedGuests {

    /** The most guest usernames remembered at once. */
    static final int CAPACITY = 100_000;

    private final Cache<String, Long> expiries;

    /**
     * @param clockSkew how long after its expiry a username is still accepted
     * @param clock the clock entries age by
     */
    IssuedGuests(Duration clockSkew, Clock clock) {
        long skewMillis = clockSkew.toMillis();
        this.expiries = Caffeine.newBuilder()
                .maximumSize(CAPACITY)
                .expireAfter(Expiry.creating((String username, Long expiry) ->
                        Duration.ofMillis(Math.max(0, (expiry + 1) * 1000 + skewMillis - clock.millis()))))
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .executor(Runnable::run)
                .build();
    }

    /** Notes that {@code username}, valid until {@code expiry} (unix seconds), was issued to a guest. */
    void remember(String username, long expiry) {
        expiries.put(username, expiry);
    }

    /** Whether {@code username} was issued to a guest by this process and is still remembered. */
    boolean contains(String username) {
        return expiries.getIfPresent(username) != null;
    }
}
