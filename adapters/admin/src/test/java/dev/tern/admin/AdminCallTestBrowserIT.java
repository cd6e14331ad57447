package dev.tern.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.spi.Secret;
import dev.tern.testing.browser.PlaywrightScript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
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

    private static final Path SCREENSHOT = Path.of("target", "admin-call-test.png").toAbsolutePath();
    private static final String ACCESS_TOKEN = "syt_admin_call_test_token";
    private static final String RELAY_ADDRESS = "127.0.0.2";
    private static final Secret ADMIN_TOKEN = Secret.of("admin-token-for-the-browser-test-0123");

    private static PlaywrightScript callTest;

    @BeforeAll
    static void installBrowserDriver() throws Exception {
        callTest = CallTestPage.script(CallTestPage.SCRIPT_DIRECTORY);
    }

    @Test
    void callTestGathersRelayCandidatesAndDeliversDataThroughTheRelay() throws Exception {
        Files.deleteIfExists(SCREENSHOT);
        try (TernFixture fixture = TernFixture.relayingOn(RELAY_ADDRESS);
                TestHomeserver homeserver = new TestHomeserver(fixture.tern(), ACCESS_TOKEN, "@alice:tern.test");
                AdminServer admin = AdminServer.start(AdminConfig.of("http://127.0.0.1:0", ADMIN_TOKEN), fixture.tern(),
                        fixture.metrics(), Clock.systemUTC())) {
            CallTestPage page = CallTestPage.run(callTest, admin.uri().toString(), homeserver.baseUrl().toString(),
                    ACCESS_TOKEN, ADMIN_TOKEN.reveal(), SCREENSHOT);
            JsonNode shown = page.shown();
            String out = page.output();

            // The page's API calls were refused until the admin typed the token, then carried it.
            assertEquals("the admin token is missing or wrong", shown.get("refusedWithoutToken").asText(), out);
            assertEquals("", shown.get("apiError").asText(), out);

            int relayCandidates = page.assertRelayedOnly(RELAY_ADDRESS, "");

            // The call stays up after the test, so the page's allocation table lists both of its allocations.
            assertEquals(relayCandidates, page.allocations().size(), out);
            for (JsonNode row : page.allocations()) {
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

    @Test
    void callTestFailsAndShowsACandidateThatRevealsAnAddress() throws Exception {
        Path screenshot = Path.of("target", "admin-call-test-revealing.png").toAbsolutePath();
        try (TernFixture fixture = TernFixture.relayingOn(RELAY_ADDRESS);
                TestHomeserver homeserver = new TestHomeserver(fixture.tern(), ACCESS_TOKEN, "@alice:tern.test");
                AdminServer admin = AdminServer.start(AdminConfig.of("http://127.0.0.1:0", ADMIN_TOKEN), fixture.tern(),
                        fixture.metrics(), Clock.systemUTC())) {
            CallTestPage page = CallTestPage.run(callTest, admin.uri().toString(), homeserver.baseUrl().toString(),
                    ACCESS_TOKEN, ADMIN_TOKEN.reveal(), screenshot, true);
            JsonNode shown = page.shown();
            String out = page.output();
            assertEquals("failure", shown.at("/result/outcome").asText(), out);
            assertTrue(Integer.parseInt(shown.at("/result/revealingCandidates").asText()) > 0, out);
            String text = shown.get("text").asText();
            assertTrue(text.startsWith("Failed: a candidate reveals an address of this device ("), out);
            assertTrue(text.contains("did not keep to relay-only ICE"), out);
            // The first revealing candidate is named in the result and marked in the table with its address.
            JsonNode row = shown.get("revealingRows").get(0);
            assertTrue(row != null && !row.get(1).asText().equals("relay"), out);
            String named = row.get(0).asText() + ": " + row.get(1).asText() + " " + row.get(3).asText() + ":"
                    + row.get(4).asText();
            assertTrue(text.contains("(" + named), "the result names the candidate " + named + ":\n" + out);
        }
    }

    private static double counter(String metrics, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }
}
