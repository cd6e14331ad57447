package dev.tern.credentials.rest;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Keeps the credentials last issued to each user for half their lifetime, so a client that polls
 * {@code /voip/turnServer} gets the same username and password back (fewer distinct usernames on the
 * relay, no HMAC per request). Bounded by size; time comes from the injected clock.
 *
 * <p>Thread-safe. Entries are keyed by user, lifetime and secret generation, so credentials signed by a
 * secret that has since been rotated out are never served. Values are kept in memory only and never logged.
 */
final class IssuedCredentialsCache {

    /**
     * Credentials as minted.
     *
     * @param username the TURN username
     * @param password the TURN password
     * @param expiry the expiry, unix seconds
     */
    record Minted(String username, String password, long expiry) {
        @Override
        public String toString() {
            return "Minted[username=" + username + ", password=****]";
        }
    }

    /**
     * What {@link #get} handed out.
     *
     * @param minted the credentials
     * @param fresh whether they were minted by this call rather than kept from an earlier one
     */
    record Issued(Minted minted, boolean fresh) {
    }

    private record Key(String userId, long lifetimeMillis, long generation) {
    }

    private final Cache<Key, Minted> cache;

    /**
     * @param maximumSize the most users kept; must be positive
     * @param clock the clock entries age by
     */
    IssuedCredentialsCache(int maximumSize, Clock clock) {
        this.cache = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .expireAfter(Expiry.creating((Key key, Minted value) -> Duration.ofMillis(key.lifetimeMillis() / 2)))
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .executor(Runnable::run)
                .build();
    }

    /**
     * The credentials kept for this user, lifetime and secret generation, minting and keeping new ones if none.
     * When two calls race for one user, both may mint, and both get the credentials kept first.
     */
    Issued get(String userId, long lifetimeMillis, long generation, Supplier<Minted> mint) {
        Key key = new Key(userId, lifetimeMillis, generation);
        Minted kept = cache.getIfPresent(key);
        if (kept != null) {
            return new Issued(kept, false);
        }
        Minted minted = mint.get();
        Minted earlier = cache.asMap().putIfAbsent(key, minted);
        return earlier == null ? new Issued(minted, true) : new Issued(earlier, false);
    }

    /** How many entries are kept, after pending evictions have run. */
    long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }
}
