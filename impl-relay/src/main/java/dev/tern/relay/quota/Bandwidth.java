package dev.tern.relay.quota;

import java.util.function.LongSupplier;

/**
 * An allocation's rate limit ({@code max_bitrate}): one token bucket for what its client sends to peers and
 * another for what peers send to its client, each at the full limit. A call's send and receive are separate
 * budgets, so a client sending at its limit never starves what comes back to it (#22 point 5).
 *
 * <p>A {@code null} bucket means no limit that way; {@link #UNLIMITED} has none either way. Not thread-safe,
 * as its buckets: used on the allocation's event loop only.
 *
 * @param toPeers charged for every payload byte relayed from the client to a peer, or {@code null}
 * @param fromPeers charged for every payload byte relayed from a peer to the client, or {@code null}
 */
public record Bandwidth(TokenBucket toPeers, TokenBucket fromPeers) {

    /** No limit either way. */
    public static final Bandwidth UNLIMITED = new Bandwidth(null, null);

    /**
     * {@code bytesPerSecond} each way, with a burst of one second of traffic and at least 16 KiB (so a video key
     * frame passes).
     *
     * @throws IllegalArgumentException for a non-positive rate
     */
    public static Bandwidth eachWay(long bytesPerSecond, LongSupplier nanoTime) {
        long burst = Math.max(bytesPerSecond, 16 * 1024);
        return new Bandwidth(new TokenBucket(bytesPerSecond, burst, nanoTime),
                new TokenBucket(bytesPerSecond, burst, nanoTime));
    }
}
