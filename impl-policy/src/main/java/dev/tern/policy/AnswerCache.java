package dev.tern.policy;

import com.github.benmanes.caffeine.cache.AsyncCacheLoader;
import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A Caffeine cache of what a source looked up, shared by the sources that do I/O ({@code ldap},
 * {@code well-known}), with the behaviour policy needs:
 *
 * <ul>
 *   <li>each value is kept until a deadline computed from its own time to live when it arrives, so
 *       a value never lives longer because the cache recorded it late;</li>
 *   <li>failures are not cached: the callers waiting for that load get the failure, the next call
 *       tries again (and Caffeine does not log a stack trace per failure: the engine logs a failing
 *       source once);</li>
 *   <li>optionally, refresh-ahead: a value older than {@code refreshAfter} is returned at once and
 *       reloaded in the background; if the reload fails the old value stays, still bounded by its
 *       original deadline.</li>
 * </ul>
 *
 * <p>Thread-safe. Concurrent calls for the same key share one load.
 *
 * @param <K> the key
 * @param <V> the value
 */
public final class AnswerCache<K, V> {

    /** Either a value with its deadline, or the failure of one load. */
    private record Slot<V>(V value, Instant freshUntil, Throwable failure) {
    }

    private final AsyncLoadingCache<K, Slot<V>> cache;
    private final Clock clock;

    /**
     * @param load starts loading the value for a key; must not block
     * @param timeToLive how long a loaded value may be used
     * @param refreshAfter age after which a read reloads in the background, or null for never
     * @param maximumSize the most keys kept
     * @param clock the time source
     * @param executor runs Caffeine's maintenance and callbacks
     */
    public AnswerCache(Function<K, CompletableFuture<V>> load, Function<V, Duration> timeToLive, Duration refreshAfter,
            long maximumSize, Clock clock, Executor executor) {
        this.clock = clock;
        AsyncCacheLoader<K, Slot<V>> loader = new AsyncCacheLoader<>() {
            @Override
            public CompletableFuture<Slot<V>> asyncLoad(K key, Executor ignored) {
                return start(load, key).handle((value, failure) -> failure == null
                        ? new Slot<>(value, clock.instant().plus(timeToLive.apply(value)), null)
                        : new Slot<>(null, Instant.MIN, failure));
            }

            @Override
            public CompletableFuture<Slot<V>> asyncReload(K key, Slot<V> old, Executor ignored) {
                return asyncLoad(key, ignored).thenApply(fresh -> fresh.failure() == null ? fresh : old);
            }
        };
        Caffeine<Object, Object> builder = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .executor(executor);
        if (refreshAfter != null) {
            builder.refreshAfterWrite(refreshAfter);
        }
        this.cache = builder.expireAfter(Expiry.<K, Slot<V>>writing((key, slot) -> remaining(slot))).buildAsync(loader);
    }

    private static <K, V> CompletableFuture<V> start(Function<K, CompletableFuture<V>> load, K key) {
        try {
            return load.apply(key);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private Duration remaining(Slot<V> slot) {
        if (slot.failure() != null) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(clock.instant(), slot.freshUntil());
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** The value for the key, from the cache or loaded; fails when the load fails. */
    public CompletableFuture<V> get(K key) {
        return cache.get(key).thenApply(slot -> {
            if (slot.failure() != null) {
                throw slot.failure() instanceof CompletionException c ? c : new CompletionException(slot.failure());
            }
            return slot.value();
        });
    }

    /** How long the key's value may still be used, if one is cached (for tests and diagnostics). */
    public Optional<Duration> cachedFor(K key) {
        CompletableFuture<Slot<V>> slot = cache.getIfPresent(key);
        if (slot == null || !slot.isDone() || slot.isCompletedExceptionally() || slot.join().failure() != null) {
            return Optional.empty();
        }
        return Optional.of(remaining(slot.join()));
    }

    /** Forgets everything. */
    public void clear() {
        cache.synchronous().invalidateAll();
    }
}
