package dev.tern.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.turn.client.TurnClient;
import dev.tern.testing.FreePorts;
import dev.tern.testing.Processes;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Draining {@code tern serve} for a rolling restart, for real (#18 point 5): {@code tern drain} through the admin
 * API stops new allocations (508 here: a relay alone has no alternate), turns {@code /health/ready} to 503, lets a
 * live allocation go on until it ends well before the deadline, and then the process exits 0. SIGTERM takes the
 * same path ({@link TermSignal}); {@code ServeIT} checks its exit status.
 */
class DrainIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path JAR = Path.of("target", "tern-launcher.jar");

    @TempDir
    Path dir;

    private ServingLauncher tern;

    @AfterEach
    void stop() {
        if (tern != null) {
            tern.close();
        }
    }

    private ServingLauncher serve() throws Exception {
        int relayPort = FreePorts.udpAndTcp();
        int httpPort = FreePorts.udpAndTcp();
        int adminPort = FreePorts.udpAndTcp();
        // A deadline far beyond the test's waits: the process must exit because the allocation ended.
        return ServingLauncher.start(dir, List.of(), List.of("--relay-port", Integer.toString(relayPort),
                "--http-port", Integer.toString(httpPort), "--admin-port", Integer.toString(adminPort),
                "--drain", "5m"), relayPort, httpPort, adminPort);
    }

    private TurnClient client(HttpClient http) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(tern.turnServerEndpoint())
                .header("Authorization", "Bearer " + tern.developmentToken()).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode credentials = JSON.readTree(response.body());
        return new TurnClient(new InetSocketAddress("127.0.0.1", tern.relayPort()), Duration.ofSeconds(5))
                .credentials(credentials.get("username").asText(), credentials.get("password").asText());
    }

    private int ready(HttpClient http) throws Exception {
        return http.send(HttpRequest.newBuilder(tern.adminBase().resolve("/health/ready"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private void assertDrainsThenExitsZero(HttpClient http, TurnClient live) throws Exception {
        assertEquals(503, ready(http), tern.output());
        try (TurnClient late = client(http)) {
            assertEquals(508, late.allocate().errorCode(), "no alternate relay without a fleet:\n" + tern.output());
        }
        assertTrue(live.refresh(600).success(), "a live allocation goes on while draining");
        assertFalse(tern.process().waitFor(1, TimeUnit.SECONDS), "waits for the live allocation:\n" + tern.output());
        assertTrue(live.refresh(0).success());
        assertTrue(tern.process().waitFor(30, TimeUnit.SECONDS), "exits once the last allocation ended:\n"
                + tern.output());
        assertEquals(0, tern.process().exitValue(), tern.output());
        assertTrue(tern.output().contains("Drained and stopped."), tern.output());
    }

    @Test
    void ternDrainAsksTheRunningServeThroughTheAdminApi() throws Exception {
        tern = serve();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try (TurnClient live = client(http)) {
            assertTrue(live.allocate().success(), tern.output());
            assertEquals(200, ready(http));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Path log = dir.resolve("drain.log");
            Process drain = new ProcessBuilder(java, "-jar", JAR.toAbsolutePath().toString(), "drain",
                    "--admin-port", Integer.toString(tern.adminBase().getPort()))
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                assertTrue(drain.waitFor(60, TimeUnit.SECONDS), Processes.read(log));
                assertEquals(0, drain.exitValue(), Processes.read(log));
            } finally {
                Processes.stop(drain);
            }
            assertTrue(Processes.read(log).contains("Draining http://127.0.0.1:"), Processes.read(log));
            assertDrainsThenExitsZero(http, live);
        }
    }
}
