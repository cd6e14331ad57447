package dev.tern.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.bench.load.RelayCommand.RampEnd;
import org.junit.jupiter.api.Test;

/** How a ramp step's result decides whether the highest rate is the server's limit or a lower bound of it. */
class RampEndTest {

    /** A step of 100 allocations at 400/s per allocation. */
    private static LoadResult step(double offeredPps, double lossPercent, double generatorShare, long serverDrops,
            long generatorDrops) {
        return new LoadResult(new AllocationCount(100, 0, 1),
                new LoadResult.Packets(offeredPps, offeredPps, 400_000, 400_000, 400_000, lossPercent),
                new LoadResult.Rtt(100, 200, 300, 400), new LoadResult.ServerCpu(10, 10, 2),
                new LoadResult.Generator(generatorShare, serverDrops, generatorDrops));
    }

    @Test
    void aStepUnderTheLossLimitHolds() {
        assertNull(RelayCommand.endOf(step(40_000, 0.4, 0.95, 10, 200), 400));
    }

    @Test
    void lossAtTheServersSocketsWhileTheGeneratorKeptUpIsTheServersLimit() {
        assertEquals(RampEnd.SERVER_LOSS, RelayCommand.endOf(step(40_000, 3, 0.95, 1_200, 0), 400));
        assertTrue(RampEnd.SERVER_LOSS.serverLimit());
    }

    @Test
    void lossAtTheGeneratorsOwnSocketsIsALowerBound() {
        RampEnd end = RelayCommand.endOf(step(40_000, 3, 0.5, 10, 1_200), 400);
        assertEquals(RampEnd.GENERATOR_LIMITED, end);
        assertFalse(end.serverLimit());
    }

    @Test
    void aSaturatedGeneratorWithoutSocketDropsIsALowerBound() {
        assertEquals(RampEnd.GENERATOR_LIMITED, RelayCommand.endOf(step(40_000, 3, 0.93, 0, 0), 400));
        assertEquals(RampEnd.SERVER_LOSS, RelayCommand.endOf(step(40_000, 3, 0.6, 0, 0), 400));
        assertEquals(RampEnd.GENERATOR_LIMITED, RelayCommand.endOf(step(40_000, 3, 0.93, -1, -1), 400));
    }

    @Test
    void aGeneratorThatFellBehindItsRateDidNotTestIt() {
        assertEquals(RampEnd.GENERATOR_LIMITED, RelayCommand.endOf(step(37_000, 3, 0.6, 1_200, 0), 400));
    }

    @Test
    void aStepWithoutAllocationsEndsTheRamp() {
        LoadResult none = LoadResult.noAllocations(100, 1);
        assertEquals(RampEnd.NO_ALLOCATIONS, RelayCommand.endOf(none, 400));
    }
}
