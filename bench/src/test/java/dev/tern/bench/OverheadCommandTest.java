package dev.tern.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The options {@code overhead} refuses before it starts anything. */
class OverheadCommandTest {

    private static String refusal(String... argv) {
        return assertThrows(IllegalArgumentException.class, () -> OverheadCommand.run(argv, System.out)).getMessage();
    }

    @Test
    void refusesRatesThatAreNotPositiveWholeNumbers() {
        assertTrue(refusal("--rates", "20000,x").contains("--rates"));
        assertTrue(refusal("--rates", "0").contains("--rates"));
    }

    @Test
    void refusesUnknownOrRepeatedRelays() {
        String unknown = refusal("--relays", "coturn,pion");
        assertTrue(unknown.contains("--relays takes coturn, tern-user, tern-kernel, tern-user-b"), unknown);
        assertTrue(refusal("--relays", "coturn,coturn").contains("twice"));
    }

    @Test
    void refusesASecondBuildWithoutItsJarOrAJarThatIsNotThere() {
        assertTrue(refusal("--relays", "coturn,tern-user-b").contains("--tern-b-jar"));
        assertTrue(refusal("--tern-b-jar", "/nonexistent/tern-bench.jar").contains("tern-user-b"));
        assertTrue(refusal("--relays", "coturn,tern-user-b", "--tern-b-jar", "/nonexistent/tern-bench.jar")
                .contains("no such file: /nonexistent/tern-bench.jar"));
    }

    @Test
    void refusesSizesCountsAndDurationsOutOfRange() {
        assertTrue(refusal("--size", "4").contains("--size"));
        assertTrue(refusal("--allocations", "0").contains("--allocations"));
        assertTrue(refusal("--rounds", "0").contains("--rounds"));
        assertTrue(refusal("--duration", "0s").contains("--duration"));
        assertTrue(refusal("--lead-in", "200s", "--duration", "60s").contains("240 s"));
        assertTrue(refusal("--ramp", "--ramp-factor", "1").contains("--ramp-factor"));
        assertTrue(refusal("--bogus", "1").contains("unknown option --bogus"));
    }

    @Test
    void rotatesTheOrderFromRoundToRound() {
        List<String> targets = List.of("direct", "coturn", "tern-user");

        assertEquals(targets, OverheadCommand.rotate(targets, 0));
        assertEquals(List.of("coturn", "tern-user", "direct"), OverheadCommand.rotate(targets, 1));
        assertEquals(List.of("tern-user", "direct", "coturn"), OverheadCommand.rotate(targets, 5));
    }
}
