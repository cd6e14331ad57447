package dev.tern.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waiting in tests for something another thread or process brings about: the condition is asked every 20 ms
 * until it holds or the limit passes, so a test never hangs and never sleeps longer than it must.
 * Stateless and thread-safe.
 */
public final class Poll {

    private static final long INTERVAL_MILLIS = 20;

    private Poll() {
    }

    /**
     * Returns once {@code condition} holds.
     *
     * @param what what is awaited, for the failure message
     * @throws AssertionError saying "not within {@code limit}: {@code what}" when the limit passes first
     */
    public static void until(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + limit + ": " + what);
            }
            Thread.sleep(INTERVAL_MILLIS);
        }
    }
}
