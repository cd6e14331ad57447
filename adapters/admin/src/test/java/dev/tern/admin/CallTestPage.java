package dev.tern.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.testing.browser.PlaywrightScript;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The admin page's call test run in headless Chromium by {@code src/test/node/admin-call-test.js}, and what the
 * page showed afterwards. Shared (as this module's test jar) with the launcher's browser test, which runs the same
 * script against {@code tern serve}. Immutable.
 *
 * @param shown the page's state as the script printed it: {@code result} (the outcome's data attributes),
 *        {@code text}, {@code candidates} and {@code allocations} (table rows), {@code apiError},
 *        {@code refusedWithoutToken}
 * @param output everything the script printed, for failure messages
 */
public record CallTestPage(JsonNode shown, String output) {

    /** The script's directory in this module. */
    public static final Path SCRIPT_DIRECTORY = Path.of("src", "test", "node");
    /** The messages the script has the page send. */
    public static final int MESSAGES = 5;

    private static final String SCRIPT = "admin-call-test.js";

    /**
     * The script in {@code directory}, with node, npm, Chromium and playwright-core checked (installed with
     * {@code npm ci} when missing).
     */
    public static PlaywrightScript script(Path directory) throws IOException {
        return PlaywrightScript.in(directory, SCRIPT);
    }

    /**
     * Opens {@code adminUrl + "admin"}, types {@code adminToken} when it is not empty, runs the call test against
     * {@code homeserverUrl} with {@code accessToken} and saves a screenshot; fails the test unless the page
     * finished within two minutes.
     */
    public static CallTestPage run(PlaywrightScript script, String adminUrl, String homeserverUrl, String accessToken,
            String adminToken, Path screenshot) throws IOException {
        return run(script, adminUrl, homeserverUrl, accessToken, adminToken, screenshot, false);
    }

    /**
     * {@link #run}, and with {@code ignoreRelayPolicy} the page's {@code RTCPeerConnection} drops
     * {@code iceTransportPolicy}, as a browser that ignores {@code "relay"} would.
     */
    public static CallTestPage run(PlaywrightScript script, String adminUrl, String homeserverUrl, String accessToken,
            String adminToken, Path screenshot, boolean ignoreRelayPolicy) throws IOException {
        PlaywrightScript.Run run = script.run(List.of(adminUrl, homeserverUrl, accessToken, screenshot.toString(),
                PlaywrightScript.chromium().toString()), Map.of("TERN_ADMIN_TOKEN", adminToken,
                "TERN_IGNORE_RELAY_POLICY", ignoreRelayPolicy ? "1" : "0"), Duration.ofSeconds(120));
        String out = run.output();
        assertEquals(0, run.exitCode(), "the page did not finish the call test:\n" + out);
        return new CallTestPage(new ObjectMapper().readTree(out.substring(out.indexOf("{\"finished\"")).strip()), out);
    }

    /**
     * Asserts the call succeeded relay-only: all {@link #MESSAGES} messages arrived, ICE gathered relay candidates
     * (one per peer connection at least) and nothing else, and the page lists each with its (UDP) relayed address on
     * {@code relayAddress}. {@code context} is added to failure messages.
     *
     * @return the number of relay candidates
     */
    public int assertRelayedOnly(String relayAddress, String context) {
        String out = output + context;
        JsonNode outcome = shown.get("result");
        assertEquals("success", outcome.get("outcome").asText(), out);
        assertEquals("yes", outcome.get("dataReceived").asText(), out);
        assertEquals(Integer.toString(MESSAGES), outcome.get("messagesReceived").asText(), out);
        assertEquals("0", outcome.get("otherCandidates").asText(), "relay-only ICE gathers nothing else:\n" + out);
        assertEquals("0", outcome.get("revealingCandidates").asText(), out);
        assertEquals(0, shown.get("revealingRows").size(), out);
        int relayCandidates = Integer.parseInt(outcome.get("relayCandidates").asText());
        assertTrue(relayCandidates >= 2, "one relay candidate per peer connection at least:\n" + out);
        assertTrue(shown.get("text").asText().contains("relay candidates: " + relayCandidates + ", data received: yes"),
                out);
        // The table the admin sees: peer, type, protocol, address, port, relay protocol (how the browser reached
        // the relay; Chromium leaves it out for UDP).
        assertEquals(relayCandidates, shown.get("candidates").size(), out);
        for (JsonNode row : shown.get("candidates")) {
            assertEquals("relay", row.get(1).asText(), out);
            assertEquals("udp", row.get(2).asText(), out);
            assertEquals(relayAddress, row.get(3).asText(), out);
        }
        return relayCandidates;
    }

    /**
     * The page's live allocations table: user, client (address and transport), relayed address, peers, bytes to
     * peers, bytes from peers, age, expiry.
     */
    public JsonNode allocations() {
        return shown.get("allocations");
    }
}
