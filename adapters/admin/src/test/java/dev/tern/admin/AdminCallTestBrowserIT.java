package dev.tern.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.api.Secret;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admin page's call test in a real browser: headless Debian Chromium, driven by playwright-core
 * ({@code src/test/node/admin-call-test.js}), opens {@code /admin}, fetches credentials from Tern's own
 * Matrix endpoint {@code /_matrix/client/v3/voip/turnServer} ({@code tern-matrix-http}, with CORS), gathers relay-only candidates from the Tern relay, connects two peer
 * connections through it and exchanges data-channel messages. Saves {@code target/admin-call-test.png}.
 *
 * <p>The relay binds its relay ports on 127.0.0.2 and allows only 127.0.0.2 as a peer: each browser peer's
 * remote candidate is the other's relayed address, so this is the one peer address the call needs, and the
 * browser's own addresses are never reachable through the relay.
 */
class AdminCallTestBrowserIT {

    private static final Path NODE_DIR = Path.of("src", "test", "node").toAbsolutePath();
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path SCREENSHOT = Path.of("target", "admin-call-test.png").toAbsolutePath();
    private static final String ACCESS_TOKEN = "syt_admin_call_test_token";
    private static final String RELAY_ADDRESS = "127.0.0.2";
    private static final Secret ADMIN_TOKEN = Secret.of("admin-token-for-the-browser-test-0123");

    @BeforeAll
    static void installBrowserDriver() throws Exception {
        requireProgram("node", "install Node.js 20 or later (apt-get install -y nodejs npm)");
        requireProgram("npm", "install npm (apt-get install -y npm)");
        if (!Files.isExecutable(CHROMIUM)) {
            fail(CHROMIUM + " is missing: install Debian's Chromium (apt-get install -y chromium)");
        }
        if (!Files.isDirectory(NODE_DIR.resolve("node_modules").resolve("playwright-core"))) {
            Result ci = run(List.of("npm", "ci", "--no-audit", "--no-fund"), 300);
            assertEquals(0, ci.exitCode(), "npm ci in " + NODE_DIR + " failed:\n" + ci.output());
        }
    }

    @Test
    void callTestGathersRelayCandidatesAndDeliversDataThroughTheRelay() throws Exception {
        Files.deleteIfExists(SCREENSHOT);
        try (TernFixture fixture = TernFixture.relayingOn(RELAY_ADDRESS);
                TestHomeserver homeserver = new TestHomeserver(fixture.tern(), ACCESS_TOKEN, "@alice:tern.test");
                AdminServer admin = AdminServer.start(AdminConfig.of("http://127.0.0.1:0", ADMIN_TOKEN), fixture.tern(),
                        fixture.metrics(), Clock.systemUTC())) {
            Result result = run(List.of("node", "admin-call-test.js", admin.uri().toString(),
                    homeserver.baseUrl().toString(), ACCESS_TOKEN, SCREENSHOT.toString(), CHROMIUM.toString()), 120);
            String out = result.output();
            assertEquals(0, result.exitCode(), "the page did not finish the call test:\n" + out);
            JsonNode shown = new ObjectMapper().readTree(out.substring(out.indexOf("{\"finished\"")).strip());

            // The page's API calls were refused until the admin typed the token, then carried it.
            assertEquals("the admin token is missing or wrong", shown.get("refusedWithoutToken").asText(), out);
            assertEquals("", shown.get("apiError").asText(), out);

            JsonNode outcome = shown.get("result");
            assertEquals("success", outcome.get("outcome").asText(), out);
            assertEquals("yes", outcome.get("dataReceived").asText(), out);
            assertEquals("5", outcome.get("messagesReceived").asText(), out);
            assertEquals("0", outcome.get("otherCandidates").asText(), "relay-only ICE gathers nothing else:\n" + out);
            int relayCandidates = Integer.parseInt(outcome.get("relayCandidates").asText());
            assertTrue(relayCandidates >= 2, "one relay candidate per peer connection at least:\n" + out);
            assertTrue(shown.get("text").asText().contains("relay candidates: " + relayCandidates + ", data received: yes"),
                    out);
            // The table the admin sees: peer, type, protocol, address, port, relay protocol (Chromium leaves it out).
            assertEquals(relayCandidates, shown.get("candidates").size(), out);
            for (JsonNode row : shown.get("candidates")) {
                assertEquals("relay", row.get(1).asText(), out);
                assertEquals("udp", row.get(2).asText(), out);
                assertEquals(RELAY_ADDRESS, row.get(3).asText(), out);
            }

            // The call stays up after the test, so the page's allocation table lists both of its allocations.
            assertEquals(relayCandidates, shown.get("allocations").size(), out);
            for (JsonNode row : shown.get("allocations")) {
                assertEquals("@alice:tern.test", row.get(0).asText(), out);
                assertTrue(row.get(2).asText().startsWith(RELAY_ADDRESS + ":"), out);
                assertEquals(RELAY_ADDRESS, row.get(3).asText(), "the permission is for the other relayed address:\n"
                        + out);
                assertTrue(Long.parseLong(row.get(4).asText()) > 0 && Long.parseLong(row.get(5).asText()) > 0, out);
            }

            // The data really crossed Tern: the relay counted the allocations and the bytes both ways (the relay
            // reports byte counts once a second, so wait for them, bounded).
            String metrics = fixture.metrics().scrape();
            for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    counter(metrics, "tern_relay_bytes_total{direction=\"from_peer\"}") <= 0 && System.nanoTime() < deadline;
                    metrics = fixture.metrics().scrape()) {
                Thread.sleep(100);
            }
            assertTrue(counter(metrics, "tern_relay_allocations_created_total") >= 2, metrics);
            assertTrue(counter(metrics, "tern_relay_bytes_total{direction=\"to_peer\"}") > 0, metrics);
            assertTrue(counter(metrics, "tern_relay_bytes_total{direction=\"from_peer\"}") > 0, metrics);
            assertTrue(counter(metrics, "tern_credentials_issued_total{reuse=\"fresh\",type=\"rest\"}") >= 1, metrics);

            assertTrue(Files.size(SCREENSHOT) > 1000, "screenshot missing or empty: " + SCREENSHOT);
        }
    }

    private static double counter(String metrics, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    private record Result(int exitCode, String output) {
    }

    private static void requireProgram(String program, String installHint) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return;
            }
        }
        fail(program + " is not installed; " + installHint);
    }

    /** Runs a program in {@link #NODE_DIR}, killing it and failing the test after {@code seconds}. */
    private static Result run(List<String> command, long seconds) throws Exception {
        Path log = Files.createTempFile("tern-admin-it", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(NODE_DIR.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("TERN_ADMIN_TOKEN", ADMIN_TOKEN.reveal());
        Process p = builder.start();
        try {
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                fail(String.join(" ", command) + " did not finish within " + seconds + "s; output:\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
            Files.deleteIfExists(log);
        }
    }
}
