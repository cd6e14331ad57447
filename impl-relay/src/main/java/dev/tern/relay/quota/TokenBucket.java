package dev.tern.relay.quota;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A byte-rate limiter: tokens (bytes) refill continuously at {@code bytesPerSecond} up to
 * {@code burstBytes}; a packet passes when the bucket holds at least its size, and is otherwise
 * refused without taking anything (the caller drops it and counts the drop).
 *
 * <p>Not thread-safe: each allocation owns one and uses it from its event loop only. Allocates
 * nothing. The bucket starts full. Refill is exact integer arithmetic (fractions of a byte are carried,
 * long idle periods cannot overflow), and a clock going backwards adds nothing.
 */
public final class TokenBucket {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long bytesPerSecond;
    private final long burstBytes;
    private final LongSupplier nanoTime;
    private long tokens;
    private long lastRefill;
    /** Nanosecond-bytes not yet worth a whole byte, carried so slow refills are not lost to rounding. */
    private long remainder;

    /**
     * @param bytesPerSecond refill rate, positive
     * @param burstBytes capacity, positive
     * @param nanoTime monotonic time source ({@code System::nanoTime} in production)
     * @throws IllegalArgumentException for a non-positive rate or burst
     */
    public TokenBucket(long bytesPerSecond, long burstBytes, LongSupplier nanoTime) {
        if (bytesPerSecond <= 0 || burstBytes <= 0) {
            throw new IllegalArgumentException("rate and burst must be positive, were "
                    + bytesPerSecond + " B/s and " + burstBytes + " B");
        }
        this.bytesPerSecond = bytesPerSecond;
        this.burstBytes = burstBytes;
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.tokens = burstBytes;
        this.lastRefill = nanoTime.getAsLong();
    }

    /** Takes {@code bytes} tokens if there are that many; false (and nothing taken) otherwise. */
    public boolean tryConsume(int bytes) {
        if (bytes < 0) {
            return false;
        }
        refill();
        if (tokens < bytes) {
            return false;
        }
        tokens -= bytes;
        return true;
    }

    /**
     * Charges {@code bytes} of traffic someone else already sent (the kernel plane, which forwards without asking):
     * they are taken whatever the bucket holds, running it into debt down to minus one burst, so packets asking
     * {@link #tryConsume} are refused until the debt is repaid and the average rate stays the limit.
     *
     * @return whether the bucket covered all of them (false: the sender is over its rate)
     */
    public boolean charge(long bytes) {
        refill();
        long charged = Math.max(0, bytes);
        boolean covered = charged <= tokens;
        tokens = Math.max(-burstBytes, tokens - Math.min(charged, 2 * burstBytes));
        return covered;
    }

    /** Whether the bucket holds at least half its burst: a sender that was over its rate has been quiet a while. */
    public boolean recovered() {
        return available() * 2 >= burstBytes;
    }

    /** Tokens available now, negative while in debt (for metrics and tests). */
    public long available() {
        refill();
        return tokens;
    }

    private void refill() {
        long now = nanoTime.getAsLong();
        long elapsed = now - lastRefill;
        if (elapsed <= 0) {
            return;
        }
        lastRefill = now;
        if (tokens >= burstBytes) {
            remainder = 0;
            return;
        }
        long product = elapsed * bytesPerSecond;
        if (Math.multiplyHigh(elapsed, bytesPerSecond) != 0 || product < 0
                || product > Long.MAX_VALUE - NANOS_PER_SECOND) {
            // So long idle that the product overflows: the bucket is full whatever its size.
            tokens = burstBytes;
            remainder = 0;
            return;
        }
        long scaled = product + remainder;
        long add = scaled / NANOS_PER_SECOND;
        remainder = scaled % NANOS_PER_SECOND;
        tokens = Math.min(burstBytes, tokens + add);
        if (tokens == burstBytes) {
            remainder = 0;
        }
    }
}
