package dev.tern.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@link DescriptorReserve}: how often it counts the open descriptors, and what it assumes in between. */
class DescriptorReserveTest {

    @Test
    void theProcessReserveCountsOncePerRecountAndAddsWhatItLetThroughSince() {
        AtomicLong open = new AtomicLong(800);
        AtomicInteger counts = new AtomicInteger();
        AtomicLong now = new AtomicLong();
        DescriptorReserve reserve = new DescriptorReserve(() -> {
            counts.incrementAndGet();
            return open.get();
        }, () -> 1024, 20, 32, now::get, DescriptorReserve.PROCESS_RECOUNT);
        // 1024 - 51 = 973 descriptors may be open: 800 counted, so 173 more connections are let through
        for (int i = 0; i < 173; i++) {
            assertFalse(reserve.reached(), "connection " + i);
        }
        assertTrue(reserve.reached(), "800 counted and 173 let through since: the reserve is reached");
        assertEquals(1, counts.get(), "one count of the descriptors within the recount interval");
        open.set(700);
        now.addAndGet(DescriptorReserve.PROCESS_RECOUNT.toNanos());
        assertFalse(reserve.reached(), "a new count once the interval is over sees the closed ones");
        assertEquals(2, counts.get());
    }

    @Test
    void withoutARecountIntervalItCountsAtEveryQuestion() {
        AtomicLong open = new AtomicLong(900);
        DescriptorReserve reserve = DescriptorReserve.forHttpOf(open::get, () -> 1024);
        assertFalse(reserve.reached());
        open.set(922);
        assertTrue(reserve.reached());
        open.set(100);
        assertFalse(reserve.reached());
    }
}
