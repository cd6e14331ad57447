package dev.tern.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How side-by-side rounds become ratios. */
class SideBySideTest {

    record Result(String server, double value) {
    }

    private static final List<Result> ROUNDS = List.of(new Result("coturn", 10), new Result("tern", 8),
            new Result("coturn", 20), new Result("tern", 30), new Result("coturn", 0), new Result("tern", 5));

    @Test
    void pairsTheNthResultOfEachServerIntoRoundN() {
        List<Double> ratios = SideBySide.roundRatios(ROUNDS, Result::server, Result::value);
        assertEquals(3, ratios.size());
        assertEquals(0.8, ratios.get(0), 1e-9);
        assertEquals(1.5, ratios.get(1), 1e-9);
        assertTrue(ratios.get(2).isNaN(), "no ratio to a zero");
    }

    @Test
    void theRatioOfMeansCanHideWhatTheRoundsShow() {
        assertEquals(43.0 / 30, SideBySide.ratio(ROUNDS, Result::server, Result::value), 1e-9);
        RatioSpread spread = RatioSpread.of(SideBySide.roundRatios(ROUNDS, Result::server, Result::value));
        assertEquals(0.8, spread.range().min(), 1e-9);
        assertEquals(1.5, spread.range().max(), 1e-9);
    }
}
