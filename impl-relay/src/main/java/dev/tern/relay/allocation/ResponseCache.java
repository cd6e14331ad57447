package dev.tern.relay.allocation;

import dev.tern.stun.TransactionId;
import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Recent responses by client address and transaction id, so a retransmitted request gets the same
 * answer (RFC 8489 section 6.3.1): a retransmitted Allocate gets the same relayed address, not 437.
 * A request still being processed is marked so its retransmissions are dropped, not processed twice.
 * Only an identical request is a retransmission: some clients (libjuice) reuse the transaction id of
 * a challenged request for the authenticated retry, which must be processed, not answered from cache.
 *
 * <p>Not thread-safe: one cache per event loop. Bounded by size and age; the oldest entries go first.
 * The cache owns the buffers it holds and releases them on eviction and {@link #clear()}.
 */
public final class ResponseCache {

    private record Key(InetSocketAddress client, TransactionId transactionId) {
    }

    private static final class Entry {
        final long storedAtNanos;
        final long requestHash;
        ByteBuf response;

        Entry(long storedAtNanos, long requestHash, ByteBuf response) {
            this.storedAtNanos = storedAtNanos;
            this.requestHash = requestHash;
            this.response = response;
        }
    }

    /** What {@link #lookup} found. */
    public sealed interface Hit {
        /** A response to resend (a retained duplicate the caller must write or release). */
        record Resend(ByteBuf response) implements Hit {
        }

        /** The request is still being processed. */
        record InProgress() implements Hit {
        }

        /** Nothing known: process the request. */
        record Miss() implements Hit {
        }
    }

    private static final Hit IN_PROGRESS = new Hit.InProgress();
    private static final Hit MISS = new Hit.Miss();

    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>();
    private final int maxEntries;
    private final long ttlNanos;

    public ResponseCache(int maxEntries, long ttlNanos) {
        this.maxEntries = maxEntries;
        this.ttlNanos = ttlNanos;
    }

    /**
     * Looks a request up.
     *
     * @param requestHash a hash of the request's bytes (see {@link #hash})
     */
    public Hit lookup(InetSocketAddress client, TransactionId tid, long requestHash, long now) {
        expire(now);
        Entry e = entries.get(new Key(client, tid));
        if (e == null || e.requestHash != requestHash) {
            return MISS;
        }
        return e.response == null ? IN_PROGRESS : new Hit.Resend(e.response.retainedDuplicate());
    }

    /** Marks a request as being processed. */
    public void markInProgress(InetSocketAddress client, TransactionId tid, long requestHash, long now) {
        put(new Key(client, tid), new Entry(now, requestHash, null));
    }

    /** Stores the response (the cache takes a retained duplicate; the caller keeps its reference). */
    public void store(InetSocketAddress client, TransactionId tid, long requestHash, ByteBuf response, long now) {
        put(new Key(client, tid), new Entry(now, requestHash, response.retainedDuplicate()));
    }

    /** The hash that tells a retransmission from a new request with the same transaction id. */
    public static long hash(ByteBuf request) {
        return ((long) request.readableBytes() << 32) | (io.netty.buffer.ByteBufUtil.hashCode(request) & 0xFFFFFFFFL);
    }

    private void put(Key key, Entry entry) {
        Entry old = entries.remove(key);
        if (old != null && old.response != null) {
            old.response.release();
        }
        entries.put(key, entry);
        while (entries.size() > maxEntries) {
            evictEldest();
        }
    }

    private void evictEldest() {
        Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator();
        Entry e = it.next().getValue();
        it.remove();
        if (e.response != null) {
            e.response.release();
        }
    }

    private void expire(long now) {
        while (!entries.isEmpty()) {
            Entry eldest = entries.values().iterator().next();
            if (now - eldest.storedAtNanos < ttlNanos) {
                return;
            }
            evictEldest();
        }
    }

    /** The number of entries. */
    public int size() {
        return entries.size();
    }

    /** Releases everything. */
    public void clear() {
        while (!entries.isEmpty()) {
            evictEldest();
        }
    }
}
