package dev.tern.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/**
 * Smoke run of {@code overhead} against real coturn and Tern's relay on each plane (user space, and the kernel plane:
 * needs root, as CI has), all up at once, with the C load client and echo peer: packets go through every relay and
 * the report is produced. It measures; it asserts nothing of how well.
 */
@Timeout(300)
class OverheadCommandIT {

    private static final List<String> RELAYS = List.of("coturn", "tern-user", "tern-kernel");

    @Test
    void measuresEveryRelayAgainstTheDirectBaselineAndRamps() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = OverheadCommand.run(new String[] {"--relays", String.join(",", RELAYS), "--allocations", "4",
            "--rates", "400", "--rounds", "2", "--duration", "1s", "--lead-in", "500ms", "--warm-up", "500ms",
            "--threads", "1", "--ramp", "--ramp-start", "400", "--ramp-steps", "2", "--ramp-duration", "1s",
            "--ramp-lead-in", "0s", "--json"}, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String output = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, output);
        JsonNode summary = new ObjectMapper().readTree(output);

        List<String> measured = new ArrayList<>();
        for (JsonNode m : summary.get("measurements")) {
            measured.add(m.get("target").asText() + m.get("round").asInt());
            JsonNode client = m.get("client");
            assertTrue(client.get("sent").asLong() > 0, m.toString());
            assertTrue(client.get("received").asLong() > 0, "echoes came back through " + m);
            assertTrue(m.get("atPeer").asLong() > 0, "packets reached the peer through " + m);
        }
        assertEquals(List.of("direct1", "coturn1", "tern-user1", "tern-kernel1",
                "coturn2", "tern-user2", "tern-kernel2", "direct2"), measured,
                "each round measures every target, the order rotating");
        JsonNode targets = summary.get("rates").get(0).get("targets");
        assertEquals("direct", targets.get(0).get("target").asText());
        for (int i = 1; i <= RELAYS.size(); i++) {
            assertEquals(RELAYS.get(i - 1), targets.get(i).get("target").asText());
            assertEquals(2, targets.get(i).get("overheadMicrosPerRound").size(), output);
        }
        assertTrue(targets.get(2).get("ratioToCoturn").has("geometricMean"), output);
        JsonNode ramp = summary.get("ramp");
        for (String target : List.of("direct", "coturn", "tern-user", "tern-kernel")) {
            assertTrue(ramp.get("best").has(target), output);
            assertTrue(ramp.get("end").has(target), output);
        }
        assertTrue(ramp.get("steps").size() >= 3, output);
    }
}
