package dev.tern.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Smoke run of {@code bench/udp-floor.sh}: it compiles the C echo server and load, and they echo. */
@Timeout(90)
class UdpFloorScriptIT {

    private static final Pattern ROUND = Pattern.compile(
            "round (\\d): sent (\\d+) echoed (\\d+); the echo server spent ([0-9.]+) us per datagram");

    @Test
    void measuresTheCEchoServerUnderLoad() throws IOException, InterruptedException {
        String output = BenchScript.run(60, "udp-floor.sh", "2", "4", "50", "1", "--pinned");
        Matcher m = ROUND.matcher(output);
        int rounds = 0;
        while (m.find()) {
            rounds++;
            long sent = Long.parseLong(m.group(2));
            assertTrue(sent >= 190 && sent <= 200, "4 sockets x 50/s for 1 s: " + output);
            assertEquals(sent, Long.parseLong(m.group(3)), "every datagram echoed on loopback: " + output);
            assertTrue(Double.parseDouble(m.group(4)) >= 0, output);
        }
        assertEquals(2, rounds, output);
    }
}
