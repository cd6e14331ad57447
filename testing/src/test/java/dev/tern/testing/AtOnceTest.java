package dev.tern.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class AtOnceTest {

    @Test
    void stepsRunAtTheSameTimeAndResultsComeBackInTheOrderGiven() throws Exception {
        // Each step waits for the other to have started: run one after the other, neither would return.
        CountDownLatch started = new CountDownLatch(2);
        List<String> results = AtOnce.run(() -> {
            started.countDown();
            assertTrue(started.await(5, TimeUnit.SECONDS));
            return "first";
        }, () -> {
            started.countDown();
            assertTrue(started.await(5, TimeUnit.SECONDS));
            return "second";
        });
        assertEquals(List.of("first", "second"), results);
    }

    @Test
    void theFirstFailureIsThrownOnceEveryStepHasEnded() {
        IOException first = new IOException("first");
        AssertionError second = new AssertionError("second");
        AtomicBoolean slowEnded = new AtomicBoolean();
        Exception thrown = assertThrows(IOException.class, () -> AtOnce.run(() -> {
            throw first;
        }, () -> {
            throw second;
        }, () -> {
            Thread.sleep(200);
            slowEnded.set(true);
            return "slow";
        }));
        assertSame(first, thrown);
        assertTrue(slowEnded.get(), "the slow step ran to its end");
    }

    @Test
    void aFailedAssertionInAStepFailsTheTest() {
        AssertionError failed = new AssertionError("lost a packet");
        assertSame(failed, assertThrows(AssertionError.class, () -> AtOnce.run(() -> "fine", () -> {
            throw failed;
        })));
    }
}
