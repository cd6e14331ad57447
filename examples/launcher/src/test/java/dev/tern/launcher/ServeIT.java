package dev.tern.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.testing.FreePorts;
import dev.tern.testing.Processes;
import dev.tern.testing.coturn.TurnutilsPeer;
import dev.tern.testing.coturn.Uclient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's run command, for real: {@code java -jar target/tern-launcher.jar serve} with the embedded
 * default (on free ports), then the printed curl, a relayed call through the relay with the credentials it
 * returned, and a clean stop on SIGTERM.
 */
class ServeIT {

    private static final Path JAR = Path.of("target", "tern-launcher.jar");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Process tern;
    private TurnutilsPeer peer;

    @AfterEach
    void stop() {
        Processes.stop(tern);
        if (peer != null) {
            peer.close();
        }
    }

    @Test
    void embeddedDefaultServesCredentialsThatRelayAndStopsCleanly() throws Exception {
        assertTrue(Files.isRegularFile(JAR), "run mvn package first: " + JAR.toAbsolutePath() + " is missing");
        int relayPort = FreePorts.udpAndTcp();
        int httpPort = FreePorts.udpAndTcp();
        int adminPort = FreePorts.udpAndTcp();
        Path log = dir.resolve("tern.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        tern = new ProcessBuilder(java, "-jar", JAR.toAbsolutePath().toString(), "serve", "--relay-port",
                Integer.toString(relayPort), "--http-port", Integer.toString(httpPort), "--admin-port",
                Integer.toString(adminPort), "--drain", "1s")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        String banner = awaitLine(log, "Ready.");
        assertTrue(banner.contains("Providers found: credentials rest, static; policy sources file, ldap, well-known; "
                + "relay netty"), banner);
        assertTrue(banner.contains("Relay: udp://127.0.0.1:" + relayPort), banner);
        assertTrue(Files.isRegularFile(dir.resolve("tern-data").resolve(DefaultConfig.SECRET_FILE)), banner);

        Matcher curl = Pattern.compile("curl -H 'Authorization: Bearer (\\S+)' (\\S+)").matcher(banner);
        assertTrue(curl.find(), banner);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(curl.group(2)))
                .header("Authorization", "Bearer " + curl.group(1)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        JsonNode credentials = JSON.readTree(response.body());
        assertEquals("turn:127.0.0.1:" + relayPort + "?transport=udp", credentials.get("uris").get(0).asText());
        assertTrue(credentials.get("username").asText().endsWith(":" + DefaultConfig.DEV_USER), response.body());

        HttpResponse<String> wellKnown = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort + "/.well-known/matrix/client"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(JSON.readTree(wellKnown.body()).get("im.vector.riot.forceTurn").asBoolean(), wellKnown.body());

        peer = TurnutilsPeer.start(dir);
        Uclient.Run run = Uclient.relay(dir, relayPort, credentials.get("username").asText(),
                credentials.get("password").asText(), peer.port(), 2, 20);
        String context = run.output() + "\n--- tern ---\n" + Processes.read(log);
        assertEquals(0, run.exitCode(), context);
        assertEquals(40, run.received().orElse(-1), context);
        assertEquals(0, run.lost().orElse(-1), context);

        String admin = "http://127.0.0.1:" + adminPort;
        assertTrue(banner.contains("Admin page: " + admin + "/admin"), banner);
        assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(admin + "/health/ready"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        String metrics = http.send(HttpRequest.newBuilder(URI.create(admin + "/metrics")).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("tern_credentials_issued"), "the issuer reports through the launcher's metrics:\n"
                + metrics);
        assertTrue(Pattern.compile("(?m)^tern_relay_allocations_created_total(\\{[^}]*\\})? [1-9]").matcher(metrics).find(),
                "the relay's allocations are counted:\n" + metrics);
        assertTrue(!metrics.contains("@dev:localhost"), "no user id as a label");

        tern.destroy(); // SIGTERM, as Ctrl-C's shutdown path
        assertTrue(tern.waitFor(30, TimeUnit.SECONDS), "tern did not stop within 30 s:\n" + Processes.read(log));
        String all = Processes.read(log);
        assertTrue(all.contains("Stopped"), all);
        assertTrue(!all.contains(Files.readString(dir.resolve("tern-data").resolve(DefaultConfig.SECRET_FILE)).strip()),
                "the TURN secret is never printed");
        assertTrue(!all.contains(credentials.get("password").asText()), "no password in the logs");
    }

    private static String awaitLine(Path log, String marker) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String text = Processes.read(log);
            if (text.contains(marker)) {
                return text;
            }
            Thread.sleep(100);
        }
        return fail("no '" + marker + "' within 60 s:\n" + Processes.read(log));
    }
}
