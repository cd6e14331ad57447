package dev.tern.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.testing.AtOnce;
import dev.tern.testing.coturn.TurnutilsPeer;
import dev.tern.testing.coturn.Uclient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's run command, for real: {@code java -jar target/tern-launcher.jar serve} with the embedded
 * default (on free ports), then the printed curl, relayed calls through the relay over UDP and over TCP with the
 * credentials it returned, and a clean stop on SIGTERM.
 */
class ServeIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private ServingLauncher tern;
    private TurnutilsPeer peer;

    @AfterEach
    void stop() {
        if (tern != null) {
            tern.close();
        }
        if (peer != null) {
            peer.close();
        }
    }

    @Test
    void embeddedDefaultServesCredentialsThatRelayAndStopsCleanly() throws Exception {
        tern = ServingLauncher.start(dir);
        int relayPort = tern.relayPort();
        String banner = tern.banner();
        assertTrue(banner.contains("Providers found: credentials rest, static; policy sources file, ldap, well-known; "
                + "relay netty"), banner);
        assertTrue(banner.contains("Relay: udp://127.0.0.1:" + relayPort + ", tcp://127.0.0.1:" + relayPort), banner);
        assertTrue(Files.isRegularFile(dir.resolve("tern-data").resolve(DefaultConfig.SECRET_FILE)), banner);

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(tern.turnServerEndpoint())
                .header("Authorization", "Bearer " + tern.developmentToken()).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        JsonNode credentials = JSON.readTree(response.body());
        assertEquals(List.of("turn:127.0.0.1:" + relayPort + "?transport=udp",
                "turn:127.0.0.1:" + relayPort + "?transport=tcp"),
                JSON.convertValue(credentials.get("uris"), new TypeReference<List<String>>() { }));
        assertTrue(credentials.get("username").asText().endsWith(":" + DefaultConfig.DEV_USER), response.body());

        HttpResponse<String> wellKnown = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + tern.httpPort() + "/.well-known/matrix/client"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(JSON.readTree(wellKnown.body()).get("im.vector.riot.forceTurn").asBoolean(), wellKnown.body());

        peer = TurnutilsPeer.start(dir);
        String username = credentials.get("username").asText();
        String password = credentials.get("password").asText();
        // Over UDP and over TCP at once: independent clients, and uclient spends most of a run waiting.
        AtOnce.run(() -> Uclient.relay(dir, relayPort, username, password, peer.port(), 2, 20),
                () -> Uclient.relayOverTcp(dir, relayPort, username, password, peer.port(), 2, 20))
                .forEach(this::assertRelayedAll);

        String admin = tern.adminBase().toString();
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

        Process process = tern.process();
        process.destroy(); // SIGTERM, as systemctl stop sends
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "tern did not stop within 30 s:\n" + tern.output());
        assertEquals(0, process.exitValue(), "SIGTERM drains and exits 0 (#18):\n" + tern.output());
        String all = tern.output();
        assertTrue(all.contains("Stopped"), all);
        assertTrue(!all.contains(Files.readString(dir.resolve("tern-data").resolve(DefaultConfig.SECRET_FILE)).strip()),
                "the TURN secret is never printed");
        assertTrue(!all.contains(password), "no password in the logs");
    }

    private void assertRelayedAll(Uclient.Run run) {
        String context = run.output() + "\n--- tern ---\n" + tern.output();
        assertEquals(0, run.exitCode(), context);
        assertEquals(40, run.received().orElse(-1), context);
        assertEquals(0, run.lost().orElse(-1), context);
    }
}
