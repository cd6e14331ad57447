package dev.tern.bench.overhead;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RampSummaryTest {

    @Test
    void theTableListsTheTargetsInTheOrderGivenWithTheirRatioToCoturn() {
        RampSummary ramp = new RampSummary(0.5, Map.of("direct", 99533, "coturn", 41472, "tern-kernel", 82944),
                Map.of("direct", "loss at 119440/s (3.00 %)", "coturn", "loss at 49766/s (1.20 %)",
                        "tern-kernel", "loss at 99533/s (0.90 %)"),
                Map.of("direct", 2.4, "coturn", 1.0, "tern-kernel", 2.0), List.of());

        String table = ramp.table(List.of("direct", "coturn", "tern-user", "tern-kernel"));

        assertTrue(table.contains("loss under 0.5 %"), table);
        int coturn = table.indexOf("| coturn | 41472 | 1.00 | loss at 49766/s (1.20 %) |");
        int kernel = table.indexOf("| tern-kernel | 82944 | 2.00 | loss at 99533/s (0.90 %) |");
        assertTrue(coturn > 0 && kernel > coturn, table);
        assertEquals(-1, table.indexOf("tern-user"), "a target not ramped has no row: " + table);
    }
}
