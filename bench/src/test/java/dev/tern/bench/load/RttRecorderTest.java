package dev.tern.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RttRecorderTest {

    @Test
    void summarisesTheMedianTheTailAndTheMaximumInMicroseconds() {
        RttRecorder rtts = new RttRecorder(1000);
        for (int i = 1000; i >= 1; i--) {
            rtts.record(i * 1000L);
        }

        LoadResult.Rtt rtt = rtts.summary();

        assertEquals(500, rtt.p50Micros());
        assertEquals(990, rtt.p99Micros());
        assertEquals(999, rtt.p999Micros(), 1.0, "the 999th or, rounded up, the 1000th of 1000");
        assertEquals(1000, rtt.maxMicros());
    }

    @Test
    void nothingRecordedIsNotANumber() {
        LoadResult.Rtt rtt = new RttRecorder(0).summary();

        assertTrue(Double.isNaN(rtt.p50Micros()) && Double.isNaN(rtt.maxMicros()), rtt.toString());
    }
}
