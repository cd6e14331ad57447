package dev.tern.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Smoke run of {@code capacity} against real coturn and Tern's relay process: it measures, not how well. */
@Timeout(120)
class CapacityCommandIT {

    @Test
    void measuresAllocationRateAndMemoryOfCoturnAndTern() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = CapacityCommand.run(new String[] {"--allocations", "40", "--rounds", "1", "--warm-ups", "1",
            "--threads", "1", "--json"}, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String output = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, output);
        JsonNode summary = new ObjectMapper().readTree(output);
        JsonNode rounds = summary.get("rounds");
        assertEquals(2, rounds.size(), output);
        for (JsonNode round : rounds) {
            String server = round.get("server").asText();
            assertEquals(40, round.get("allocationsOk").asInt(), output);
            assertTrue(round.get("warmPerSecond").asDouble() > 0, output);
            assertTrue(round.get("residentBytesPerAllocation").isNumber(), output);
            if (server.equals("tern")) {
                assertNotEquals(-1, round.get("heapBytesPerAllocation").asLong(), "Tern reports its heap: " + output);
            } else {
                assertEquals(-1, round.get("heapBytesPerAllocation").asLong(), "coturn has no heap to report: " + output);
            }
        }
        assertTrue(summary.get("warmAllocationRateRatio").asDouble() > 0, output);
    }
}
