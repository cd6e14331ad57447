package dev.tern.relay.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private long now = 1_000_000_000_000L;
    private final TokenBucket bucket = new TokenBucket(1000, 1500, () -> now);

    @Test
    void startsFullAndPassesUpToTheBurst() {
        assertTrue(bucket.tryConsume(1000));
        assertTrue(bucket.tryConsume(500));
        assertFalse(bucket.tryConsume(1));
    }

    @Test
    void refusedPacketTakesNothing() {
        assertTrue(bucket.tryConsume(1400));
        assertFalse(bucket.tryConsume(200));
        assertTrue(bucket.tryConsume(100));
    }

    @Test
    void chargingTrafficAlreadySentRunsIntoDebtThatRefusesPacketsUntilRepaid() {
        assertTrue(bucket.charge(1000), "covered by the 1500 held");
        assertFalse(bucket.charge(1000), "500 short: over the rate");
        assertEquals(-500, bucket.available());
        assertFalse(bucket.recovered());
        now += 600_000_000L; // 600 bytes: 100 held, not half the burst yet
        assertFalse(bucket.tryConsume(101));
        assertFalse(bucket.recovered());
        now += 700_000_000L; // 800 held
        assertTrue(bucket.recovered());
        assertTrue(bucket.tryConsume(800));
    }

    @Test
    void debtIsBoundedByOneBurst() {
        assertFalse(bucket.charge(Long.MAX_VALUE));
        assertEquals(-1500, bucket.available());
        assertFalse(bucket.charge(-5), "a negative charge takes nothing (and the debt stays)");
        assertEquals(-1500, bucket.available());
    }

    @Test
    void refillsAtTheRate() {
        assertTrue(bucket.tryConsume(1500));
        now += 100_000_000L; // 100 ms = 100 bytes
        assertFalse(bucket.tryConsume(101));
        assertTrue(bucket.tryConsume(100));
        assertFalse(bucket.tryConsume(1));
    }

    @Test
    void neverExceedsTheBurstAfterLongIdle() {
        now += 3_600_000_000_000L;
        assertEquals(1500, bucket.available());
        now += Long.MAX_VALUE / 2;
        assertEquals(1500, bucket.available());
    }

    @Test
    void carriesFractionsOfABytesoSlowRefillsAreNotLost() {
        TokenBucket slow = new TokenBucket(3, 10, () -> now);
        assertTrue(slow.tryConsume(10));
        for (int i = 0; i < 1000; i++) {
            now += 1_000_000L; // 1 ms = 0.003 bytes each
            slow.available();
        }
        assertEquals(3, slow.available());
    }

    @Test
    void clockGoingBackwardsAddsNothing() {
        assertTrue(bucket.tryConsume(1500));
        now -= 10_000_000_000L;
        assertFalse(bucket.tryConsume(1));
        now += 10_000_000_000L;
        assertFalse(bucket.tryConsume(1), "time already counted is not counted twice");
    }

    @Test
    void sustainedRateMatchesConfiguredRate() {
        TokenBucket limiter = new TokenBucket(160_000, 1600, () -> now);
        int passed = 0;
        for (int i = 0; i < 20_000; i++) { // 10 s of 2000 packets/s of 160 bytes, twice the rate
            now += 500_000L;
            if (limiter.tryConsume(160)) {
                passed++;
            }
        }
        assertEquals(10_000 + 10, passed, 1);
    }

    @Test
    void rejectsNonPositiveSettingsAndNegativeSizes() {
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(0, 1, () -> now));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(1, 0, () -> now));
        assertFalse(bucket.tryConsume(-1));
        assertEquals(1500, bucket.available());
    }
}
