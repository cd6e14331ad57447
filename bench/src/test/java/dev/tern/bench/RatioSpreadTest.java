package dev.tern.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a set of per-round ratios is summarised as. */
class RatioSpreadTest {

    @Test
    void theGeometricMeanOfReciprocalRatiosIsOne() {
        RatioSpread spread = RatioSpread.of(List.of(0.5, 2.0));
        assertEquals(1.0, spread.geometricMean(), 1e-12);
        assertEquals(1.0, spread.median(), 1e-12);
        assertEquals(0.5, spread.range().min(), 1e-12);
        assertEquals(2.0, spread.range().max(), 1e-12);
    }

    @Test
    void theIntervalIsStudentsTOnTheLogarithms() {
        // logs 0, ln 2, ln 4: mean ln 2, standard deviation ln 2, n 3, t(2) = 4.303
        RatioSpread spread = RatioSpread.of(List.of(1.0, 2.0, 4.0));
        double half = 4.303 * Math.log(2) / Math.sqrt(3);
        assertEquals(2.0, spread.geometricMean(), 1e-12);
        assertEquals(Math.exp(Math.log(2) - half), spread.interval().low(), 1e-12);
        assertEquals(Math.exp(Math.log(2) + half), spread.interval().high(), 1e-12);
        assertEquals(2.0, spread.median(), 1e-12);
    }

    @Test
    void moreRatiosOfTheSameSpreadNarrowTheInterval() {
        List<Double> few = List.of(0.7, 0.8, 0.9);
        List<Double> many = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            many.addAll(few);
        }
        RatioSpread a = RatioSpread.of(few);
        RatioSpread b = RatioSpread.of(many);
        assertEquals(a.geometricMean(), b.geometricMean(), 1e-12);
        assertTrue(b.interval().high() - b.interval().low() < (a.interval().high() - a.interval().low()) / 4,
                a.describe() + " vs " + b.describe());
        assertTrue(b.atMost(0.85), b.describe());
        assertFalse(a.atMost(0.85), a.describe());
    }

    @Test
    void leavesOutRatiosToAZeroAndSaysWhenThereIsNoInterval() {
        RatioSpread one = RatioSpread.of(Arrays.asList(Double.NaN, 0.8, 0.0, null, Double.POSITIVE_INFINITY));
        assertEquals(1, one.n());
        assertEquals(0.8, one.geometricMean(), 1e-12);
        assertTrue(Double.isNaN(one.interval().low()));
        assertFalse(one.atMost(1.0), "one ratio is no evidence");
        assertEquals("0.80 (one ratio)", one.describe());
        assertEquals("- (no ratios)", RatioSpread.of(List.of()).describe());
    }

    @Test
    void describesTheIntervalMedianAndRange() {
        assertEquals("2.00 (95 % CI 0.36 - 11.19, median 2.00, range 1.00 - 4.00, n 3)",
                RatioSpread.of(List.of(4.0, 1.0, 2.0)).describe());
    }

    @Test
    void tQuantilesFollowTheTableThenApproachTheNormal() {
        assertEquals(12.706, RatioSpread.t975(1), 1e-9);
        assertEquals(2.042, RatioSpread.t975(30), 1e-9);
        assertEquals(2.021, RatioSpread.t975(40), 0.003);
        assertEquals(1.984, RatioSpread.t975(100), 0.003);
    }
}
