package dev.tern.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Smoke run of {@code bench/uclient-compare.sh} (coturn's own turnutils_uclient against coturn and Tern's relay,
 * using the bench jar that {@code package} built): it measures both, not how well.
 */
@Timeout(180)
class UclientCompareScriptIT {

    private static final Pattern ROUND = Pattern.compile(
            "round 1 (coturn|tern): (\\d+) echoes of (\\d+), cpu ([0-9.]+) us per relayed packet");

    @Test
    void measuresCoturnAndTernUnderTurnutilsUclient() throws IOException, InterruptedException {
        assertTrue(Files.isRegularFile(Path.of("target", "tern-bench.jar")), "the bench jar is built before ITs run");
        String output = BenchScript.run(150, "uclient-compare.sh", "1", "4", "20", "50");
        Matcher m = ROUND.matcher(output);
        int servers = 0;
        while (m.find()) {
            servers++;
            assertEquals("200", m.group(3), output);
            assertTrue(Long.parseLong(m.group(2)) >= 190, "most echoes came back through " + m.group(1) + ": " + output);
            assertTrue(Double.parseDouble(m.group(4)) > 0, output);
        }
        assertEquals(2, servers, output);
        assertTrue(output.contains("Tern/coturn per round: "), output);
    }
}
