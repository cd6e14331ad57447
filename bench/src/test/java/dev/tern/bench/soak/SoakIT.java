package dev.tern.bench.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short soak CI runs: {@code soak --duration 20s --warm-up 5s --allocation-lifetime 10s} against the launcher
 * jar this build made ({@code examples/launcher}, packaged before this module), about a minute and a half in all
 * with the two quiet moments (10 s allocations expire soon, so the quiet moments are short). Fails when any measure
 * did not come back, a steady flow lost or garbled a packet on any leg (the client's own losses included: this one
 * is strict), or a kind of churn never completed a cycle (a soak that churned nothing proves nothing). Twenty
 * seconds of churn is every kind of cycle many times over: the exact measures (descriptors, threads, allocations,
 * token buckets, leak reports, packets over the quota) catch a leak of one per cycle as well as a longer run; only
 * a slow heap leak, under the 8 MiB tolerance here, needs the long soak ({@code --duration 1h}, README).
 */
@Timeout(300)
class SoakIT {

    private static final Path LAUNCHER = Path.of("..", "examples", "launcher", "target", "tern-launcher.jar");

    @Test
    void everyMeasureComesBackAndSteadyFlowsLoseNothingUnderChurn(@TempDir Path dir) throws Exception {
        assertTrue(Files.isRegularFile(LAUNCHER), "package examples/launcher first: " + LAUNCHER.toAbsolutePath());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = SoakCommand.run(new String[] {"--launcher", LAUNCHER.toString(), "--dir", dir.toString(),
            "--duration", "20s", "--warm-up", "5s", "--settle", "60s", "--allocation-lifetime", "10s", "--flows", "3",
            "--json"},
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String output = bytes.toString(StandardCharsets.UTF_8);
        String log = Files.readString(dir.resolve("tern.log"), StandardCharsets.ISO_8859_1);
        String context = output + "\n--- launcher log (tail) ---\n" + log.substring(Math.max(0, log.length() - 4000));
        JsonNode report = new ObjectMapper().readTree(output);
        for (JsonNode check : report.get("checks")) {
            assertTrue(check.get("passed").asBoolean(), check + "\n" + context);
        }
        assertEquals(3, report.get("flows").size(), context);
        for (JsonNode flow : report.get("flows")) {
            assertTrue(flow.get("sent").asLong() > 100, "a steady flow ran: " + flow);
            assertEquals(flow.get("sent").asLong(), flow.get("received").asLong() + flow.get("late").asLong(),
                    "nothing lost: " + flow + "\n" + context);
            assertEquals(0, flow.get("garbled").asLong(), "nothing garbled: " + flow + "\n" + context);
            assertEquals(flow.get("sent").asLong(), flow.get("relayedToPeer").asLong(),
                    "the relay forwarded every packet to the peer (its own count): " + flow + "\n" + context);
        }
        assertEquals(6, report.get("activities").size(), context);
        for (JsonNode activity : report.get("activities")) {
            assertTrue(activity.get("completed").asLong() > 0, "churn of every kind completed: " + activity);
        }
        assertTrue(report.get("end").get("allocationsCreated").asLong()
                - report.get("start").get("allocationsCreated").asLong() > 50, context);
        assertEquals(0, exit, context);
    }
}
