package dev.tern.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.config.ConfigLoader;
import dev.tern.testing.FreePorts;
import dev.tern.testing.Processes;
import dev.tern.testing.SelfSignedCertificate;
import dev.tern.testing.coturn.TurnutilsPeer;
import dev.tern.testing.coturn.Uclient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's one-port configuration for real: one launcher (in-process {@link TernService}) whose relay listens
 * on {@code tls+https://127.0.0.1:PORT} only for TCP, with the Matrix endpoints and the admin routes on that port
 * too. Against that one port: {@code curl} over HTTPS with HTTP/1.1 and HTTP/2 for the well-known document, the
 * turnServer endpoint and the readiness check; matrix-js-sdk over HTTP/1.1 and HTTP/2 (discovery and its TURN
 * polling); coturn's {@code turnutils_uclient -S -t} relaying with no loss; and headless Chromium making a
 * relay-only call whose only ICE server is {@code turns:127.0.0.1:PORT?transport=tcp}, with credentials it got from
 * the same port. (Silence, garbage and the PROXY protocol on such a port: the relay's SharedPortIT.)
 */
class OnePortIT {

    private static final Path MATRIX_NODE = Path.of("..", "..", "adapters", "matrix-http", "src", "test", "node")
            .toAbsolutePath().normalize();
    private static final Path BROWSER_NODE = Path.of("..", "..", "impl-relay", "src", "test", "node")
            .toAbsolutePath().normalize();
    private static final String TOKEN = "tok-alice-one-port";
    private static final String ADMIN_TOKEN = "one-port-admin-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static Path cert;
    private static int port;
    private static TernService tern;
    private static TurnutilsPeer peer;

    @BeforeAll
    static void start() throws Exception {
        cert = dir.resolve("fullchain.pem");
        Path key = dir.resolve("privkey.pem");
        SelfSignedCertificate.write(cert, key, "127.0.0.1");
        Files.writeString(dir.resolve("turn-secret"), "one-port-turn-secret-0123456789abcdef");
        port = FreePorts.udpAndTcp();
        String base = "https://127.0.0.1:" + port;
        Path config = dir.resolve("tern.yaml");
        Files.writeString(config, String.join("\n",
                "server_name: localhost",
                "credentials:",
                "  type: rest",
                "  secret_files: [\"" + dir.resolve("turn-secret") + "\"]",
                "  uris: [\"turns:127.0.0.1:" + port + "?transport=tcp\"]",
                "policy:",
                "  defaults: { turn_allowed: true, force_relay: true }",
                "relay:",
                "  type: netty",
                "  realm: localhost",
                "  listen: [\"udp://127.0.0.1:" + port + "\", \"tls+https://127.0.0.1:" + port + "\"]",
                "  tls: { cert_file: \"" + cert + "\", key_file: \"" + key + "\" }",
                "  allowed_peers: [\"127.0.0.0/8\"]",
                "  channel_numbers: coturn",
                "matrix:",
                "  access_tokens: { type: static, tokens: { \"" + TOKEN + "\": \"@alice:localhost\" } }",
                "  well_known:",
                "    m.homeserver: { base_url: \"" + base + "\" }",
                "metrics:",
                "  listen: \"http://127.0.0.1:0\"",
                "  token: \"" + ADMIN_TOKEN + "\"",
                "  shared_port: true",
                ""));
        tern = TernService.start(ConfigLoader.standard().load(config), Duration.ofSeconds(1));
        peer = TurnutilsPeer.start(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (peer != null) {
            peer.close();
        }
        if (tern != null) {
            tern.close();
        }
    }

    /** {@code curl} over HTTPS with {@code --http1.1} or {@code --http2}: the HTTP version it used, then the body. */
    private static List<String> curl(String version, String path, String token) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", version, "--cacert",
                cert.toString(), "-w", "\n%{http_version} %{http_code}"));
        if (token != null) {
            command.addAll(List.of("-H", "Authorization: Bearer " + token));
        }
        command.add("https://127.0.0.1:" + port + path);
        String out = run(command, dir, Map.of(), 30);
        int nl = out.lastIndexOf('\n');
        return List.of(out.substring(nl + 1).trim(), out.substring(0, nl));
    }

    private static String run(List<String> command, Path cwd, Map<String, String> env, int seconds) throws Exception {
        Path log = Files.createTempFile(dir, "run-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process p = builder.start();
        try {
            assertTrue(p.waitFor(seconds, TimeUnit.SECONDS), command + " did not finish:\n" + Processes.read(log));
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), command + ":\n" + out);
            return out;
        } finally {
            Processes.stop(p);
        }
    }

    private static void npmCi(Path nodeDir, String module) throws Exception {
        Processes.require("node", "install Node.js 20 or later (apt-get install -y nodejs npm)");
        if (!Files.isDirectory(nodeDir.resolve("node_modules").resolve(module))) {
            run(List.of("npm", "ci", "--no-audit", "--no-fund"), nodeDir, Map.of(), 300);
        }
    }

    @Test
    void curlGetsTheWellKnownDocumentAndTurnServerOverHttp11AndHttp2() throws Exception {
        for (String version : List.of("--http1.1", "--http2")) {
            String expected = version.equals("--http2") ? "2 200" : "1.1 200";
            List<String> wellKnown = curl(version, "/.well-known/matrix/client", null);
            assertEquals(expected, wellKnown.get(0), wellKnown.get(1));
            assertEquals("https://127.0.0.1:" + port,
                    JSON.readTree(wellKnown.get(1)).path("m.homeserver").path("base_url").asText(), wellKnown.get(1));
            List<String> turn = curl(version, "/_matrix/client/v3/voip/turnServer", TOKEN);
            assertEquals(expected, turn.get(0), turn.get(1));
            JsonNode body = JSON.readTree(turn.get(1));
            assertEquals("turns:127.0.0.1:" + port + "?transport=tcp", body.path("uris").path(0).asText(), turn.get(1));
            assertEquals(expected.replace("200", "401"), curl(version, "/_matrix/client/v3/voip/turnServer", null).get(0));
            List<String> ready = curl(version, "/health/ready", null);
            assertEquals(expected, ready.get(0), "the admin routes share the port: " + ready.get(1));
            List<String> metrics = curl(version, "/metrics", ADMIN_TOKEN);
            assertEquals(expected, metrics.get(0), metrics.get(1));
        }
    }

    @Test
    void matrixJsSdkDiscoversAndPollsTurnOverHttp11AndHttp2() throws Exception {
        npmCi(MATRIX_NODE, "matrix-js-sdk");
        String out = run(List.of("node", "one-port-client.mjs", "https://127.0.0.1:" + port, TOKEN, cert.toString()),
                MATRIX_NODE, Map.of("NODE_EXTRA_CA_CERTS", cert.toString()), 120);
        JsonNode result = JSON.readTree(out.lines().reduce((a, b) -> b).orElse("{}"));
        for (String way : List.of("http1", "http2")) {
            JsonNode r = result.path(way);
            assertEquals("SUCCESS", r.path("discovery").path("state").asText(), way + ": " + out);
            assertEquals("https://127.0.0.1:" + port + "/", r.path("discovery").path("baseUrl").asText().replaceAll("/?$", "/"),
                    way + ": " + out);
            assertTrue(r.path("good").asBoolean(), way + ": " + out);
            assertEquals("turns:127.0.0.1:" + port + "?transport=tcp", r.path("uris").path(0).asText(), way + ": " + out);
            assertTrue(r.path("hasCredentials").asBoolean(), way + ": " + out);
        }
        assertTrue(result.path("h2Responses").asInt() >= 2, "the SDK's requests went over HTTP/2: " + out);
    }

    private static JsonNode credentials() throws Exception {
        return JSON.readTree(curl("--http2", "/_matrix/client/v3/voip/turnServer", TOKEN).get(1));
    }

    @Test
    void uclientRelaysOverTlsThroughTheSharedPortWithoutLoss() throws Exception {
        JsonNode c = credentials();
        Uclient.Run run = Uclient.relayOverTls(dir, port, c.path("username").asText(), c.path("password").asText(),
                peer.port(), 4, 100);
        assertEquals(0L, run.lost().orElse(-1), run.output());
        assertEquals(400L, run.received().orElse(-1), run.output());
    }

    @Test
    void chromiumCallsRelayOnlyWithOnlyTheSharedPortAsItsTurnsServer() throws Exception {
        npmCi(BROWSER_NODE, "playwright-core");
        JsonNode c = credentials();
        String url = "turns:127.0.0.1:" + port + "?transport=tcp";
        String out = run(List.of("node", "relay-only-browser.js", url, c.path("username").asText(),
                c.path("password").asText(), "5"), BROWSER_NODE, Map.of(), 120);
        for (int i = 0; i < 5; i++) {
            assertTrue(out.contains("\"echo:message-" + i + "\""), out);
        }
        assertTrue(!out.contains("typ host") && !out.contains("typ srflx") && out.contains("typ relay"), out);
        assertTrue(out.contains("\"relayProtocol\":\"tls\""), "the browser reached the relay over TLS:\n" + out);
    }
}
