package dev.tern.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Smoke run of {@code compare --pairs} against real coturn and Tern's relay, both up at once: it measures, not how well. */
@Timeout(180)
class CompareCommandIT {

    @Test
    void pairsMeasureBothServersRunningAtOnceInAlternatingOrder() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = CompareCommand.run(new String[] {"--pairs", "2", "--allocations", "4", "--rate", "50",
            "--duration", "1s", "--warm-up", "1s", "--warm-up-allocations", "20", "--threads", "1", "--json"},
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String output = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, output);
        JsonNode summary = new ObjectMapper().readTree(output);
        assertEquals("pairs", summary.get("mode").asText(), output);
        List<String> order = new ArrayList<>();
        for (JsonNode run : summary.get("rounds")) {
            order.add(run.get("server").asText() + run.get("round").asInt());
            JsonNode fixed = run.get("fixed");
            assertEquals(4, fixed.get("allocationsOk").asInt(), output);
            assertTrue(fixed.get("received").asLong() > 0, "packets came back through " + run + ": " + output);
            assertTrue(fixed.get("cpuMicrosPerRelayedPacket").asDouble() > 0, output);
        }
        assertEquals(List.of("coturn1", "tern1", "tern2", "coturn2"), order, "the first of a pair alternates");
        JsonNode cpu = summary.get("cpuPerRelayedPacketRatioSpread");
        assertEquals(2, cpu.get("n").asInt(), output);
        assertTrue(cpu.get("low").asDouble() <= cpu.get("geometricMean").asDouble()
                && cpu.get("geometricMean").asDouble() <= cpu.get("high").asDouble(), output);
    }

    @Test
    void refusesARampOrRoundsWithPairs() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CompareCommand.run(new String[] {"--pairs", "3", "--ramp"}, System.out));
        assertTrue(e.getMessage().contains("--pairs"), e.getMessage());
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
                () -> CompareCommand.run(new String[] {"--pairs", "3", "--rounds", "2"}, System.out));
        assertTrue(both.getMessage().contains("--rounds or --pairs"), both.getMessage());
    }
}
