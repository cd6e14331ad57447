package dev.tern.fleet.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The revocations this relay knows of, by user id, and who to tell of a new one. An entry stays for the credential
 * lifetime after its revocation (by then every credential issued before it has expired), so memory is bounded by
 * the revocations of one credential lifetime; they come from operators, never from clients.
 *
 * <p>Thread-safe. Listeners are told once per user and revocation time, on the caller's thread.
 */
final class RevocationCache {

    private static final Logger LOG = LoggerFactory.getLogger(RevocationCache.class);

    private final Map<String, Instant> revoked = new ConcurrentHashMap<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final Duration window;

    RevocationCache(Duration window) {
        this.window = window;
    }

    void onRevoke(Consumer<String> listener) {
        listeners.add(listener);
    }

    Optional<Instant> revokedAt(String userId) {
        return Optional.ofNullable(revoked.get(userId));
    }

    /** Records a revocation; tells the listeners when it is new (or newer than the one known). */
    boolean apply(String userId, Instant at) {
        Instant before = revoked.get(userId);
        if (before != null && !at.isAfter(before)) {
            return false;
        }
        revoked.put(userId, at);
        for (Consumer<String> listener : listeners) {
            try {
                listener.accept(userId);
            } catch (RuntimeException e) {
                LOG.warn("a revocation listener failed", e);
            }
        }
        return true;
    }

    /** Forgets revocations older than the window before {@code now}. */
    void prune(Instant now) {
        Instant oldest = now.minus(window);
        revoked.values().removeIf(at -> at.isBefore(oldest));
    }

    int size() {
        return revoked.size();
    }
}
