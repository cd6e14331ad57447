package dev.tern.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.testing.FreePorts;
import dev.tern.testing.Processes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/fleet as its README says to use it (#18 point 8): {@code start.sh} (Redis and three {@code tern serve} on
 * 127.0.0.2, .3 and .4 with the example's configs), {@code /voip/turnServer} listing the three live relays,
 * {@code rolling-restart.sh} ({@code tern drain --wait} and a new start, relay by relay), the three listed again,
 * relay 3 killed with SIGKILL and gone from {@code /voip/turnServer} within 10 s (#18: its heartbeat key expires),
 * then {@code stop.sh} (SIGTERM drains the others). Free ports and a temporary state directory through the scripts'
 * environment; {@code stop.sh} runs whatever happens.
 */
class FleetExampleIT {

    private static final Path EXAMPLE = Path.of("..", "fleet").toAbsolutePath().normalize();
    private static final Path JAR = Path.of("target", "tern-launcher.jar").toAbsolutePath();
    private static final String TOKEN = "example-token-of-alice-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Map<String, String> environment(int turn, int http, int admin, int redis) {
        return Map.of("TERN_JAR", JAR.toString(), "TERN_FLEET_STATE", dir.resolve("state").toString(),
                "TERN_TURN_PORT", Integer.toString(turn), "TERN_HTTP_PORT", Integer.toString(http),
                "TERN_ADMIN_PORT", Integer.toString(admin), "TERN_REDIS_PORT", Integer.toString(redis),
                "TERN_DRAIN_DEADLINE", "20s");
    }

    private String script(String name, Map<String, String> env) throws Exception {
        Path log = dir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder("sh", EXAMPLE.resolve(name).toString()).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        try {
            assertTrue(process.waitFor(300, TimeUnit.SECONDS), name + " did not finish:\n" + Processes.read(log));
            assertEquals(0, process.exitValue(), name + ":\n" + Processes.read(log) + relayLogs());
        } finally {
            Processes.stop(process);
        }
        return Processes.read(log);
    }

    private String relayLogs() {
        StringBuilder all = new StringBuilder();
        for (int n = 1; n <= 3; n++) {
            all.append("\n--- relay-").append(n).append(" ---\n")
                    .append(Processes.read(dir.resolve("state").resolve("relay-" + n + ".log")));
        }
        return all.toString();
    }

    private static List<String> turnServerUris(int http) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.2:" + http + "/_matrix/client/v3/voip/turnServer"))
                .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.convertValue(JSON.readTree(response.body()).get("uris"), new TypeReference<List<String>>() { });
    }

    /** The uris once they list all three relays (a relay's view of the fleet is refreshed each beat), or after 10 s. */
    private static List<String> listingAllThree(int http, int turn) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> uris = turnServerUris(http);
        while (!uris.containsAll(udpUris(turn)) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            uris = turnServerUris(http);
        }
        return uris;
    }

    private static List<String> udpUris(int turn) {
        return List.of("turn:127.0.0.2:" + turn + "?transport=udp", "turn:127.0.0.3:" + turn + "?transport=udp",
                "turn:127.0.0.4:" + turn + "?transport=udp");
    }

    @Test
    void startsThreeRelaysAndRedisRestartsThemOneByOneAndStops() throws Exception {
        assertTrue(Files.isRegularFile(JAR), "run mvn package first: " + JAR + " is missing");
        int turn = FreePorts.udpAndTcp();
        Map<String, String> env = environment(turn, FreePorts.udpAndTcp(), FreePorts.udpAndTcp(),
                FreePorts.udpAndTcp());
        int http = Integer.parseInt(env.get("TERN_HTTP_PORT"));
        try {
            script("start.sh", env);
            List<String> uris = listingAllThree(http, turn);
            assertTrue(uris.containsAll(udpUris(turn)), "the three live relays, from Redis: " + uris);
            String restart = script("rolling-restart.sh", env);
            assertEquals(3, restart.lines().filter(l -> l.startsWith("Draining http://127.0.0.")).count(), restart);
            List<String> after = listingAllThree(http, turn);
            assertTrue(after.containsAll(udpUris(turn)), "all three back in the fleet: " + after);

            // A relay killed with SIGKILL (no drain, no deregistration) leaves /voip/turnServer within 10 s.
            long pid = Long.parseLong(Processes.read(dir.resolve("state").resolve("relay-3.pid")).strip());
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            long killedAt = System.nanoTime();
            String dead = udpUris(turn).get(2);
            List<String> without = turnServerUris(http);
            while (without.contains(dead) && System.nanoTime() - killedAt < TimeUnit.SECONDS.toNanos(9)) {
                Thread.sleep(1500); // below the endpoint's per-user rate limit (1/s), so its bucket never empties
                without = turnServerUris(http);
            }
            assertFalse(without.contains(dead), "the killed relay still listed 10 s after SIGKILL: " + without);
            assertTrue(without.containsAll(udpUris(turn).subList(0, 2)), "the two live relays stay: " + without);
        } finally {
            script("stop.sh", env);
        }
        String logs = relayLogs();
        for (int n = 1; n <= 3; n++) {
            String log = Processes.read(dir.resolve("state").resolve("relay-" + n + ".log"));
            // relay 3 was killed after its restart, so only tern drain stopped it cleanly
            assertEquals(n == 3 ? 1 : 2, log.lines().filter(l -> l.contains("Drained and stopped.")).count(),
                    "drained by tern drain, then by stop.sh's SIGTERM (relay 3: killed instead):\n" + logs);
        }
    }
}
