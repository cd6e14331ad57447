package dev.tern.matrix.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.guard.ListenerGuard;
import dev.tern.guard.ListenerLimits;
import dev.tern.matrix.auth.fixed.StaticTokenVerifier;
import dev.tern.matrix.auth.fixed.StaticTokensConfig;
import dev.tern.matrix.http.ConfigShapes;
import dev.tern.matrix.http.MatrixConfig;
import dev.tern.matrix.http.MatrixEndpoints;
import dev.tern.matrix.http.TestTern;
import dev.tern.matrix.netty.MatrixHttpServer;
import dev.tern.spi.MetricsRecorder;
import dev.tern.testing.browser.PlaywrightScript;
import dev.tern.testing.coturn.Turnserver;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The forcing reaches the media: matrix-js-sdk 36.2.0 in headless Chromium ({@code src/test/browser}, bundled with
 * esbuild, driven by playwright-core) places a real voice call ({@code createNewMatrixCall}, {@code placeVoiceCall},
 * Chromium's fake microphone) with TURN credentials from Tern's endpoints (Netty binding on loopback) for a real
 * coturn on 127.0.0.1. The page records every candidate the SDK's peer connection gathers, every candidate line of
 * its local SDP, and every candidate the SDK signals to the homeserver ({@code m.call.invite} SDP and
 * {@code m.call.candidates}); a room's send API is the one homeserver endpoint faked in the page (Tern is not one).
 * The four scenarios run at once in one page, each with its own client and room.
 *
 * <p>Proven: after {@code honourForceTurn(client)} of {@code clients/js/matrix-force-turn}, when the user's
 * {@code dev.tern.force_relay} key or the (per-domain) well-known flag is true, the SDK configures
 * {@code iceTransportPolicy: "relay"} and no host, server-reflexive or peer-reflexive candidate is gathered or
 * leaves the page; with neither flag, or when the client does not call the package, host candidates are gathered
 * and signalled. Not proven here: media flowing to a callee (no second party answers).
 */
class ForceTurnBrowserIT {

    private static final Path DIRECTORY = Path.of("src", "test", "browser");

    @TempDir
    static Path dir;
    static Turnserver coturn;
    static TestTern fixture;
    static MatrixHttpServer server;
    static JsonNode seen;
    static String output;

    @BeforeAll
    static void placeTheCalls() throws Exception {
        PlaywrightScript script = PlaywrightScript.in(DIRECTORY, "force-turn-call.mjs");
        coturn = Turnserver.withAuthSecrets(List.of(TestTern.SECRET), "example.org", dir);
        fixture = TestTern.withIssuer(dir, Clock.systemUTC(), TestTern.RecordingPolicy.forcingUsers(Set.of("@alice:example.org")),
                List.of("turn:127.0.0.1:" + coturn.port() + "?transport=udp"));
        Map<String, Object> matrix = Map.of(
                "well_known", Map.of("m.homeserver", Map.of("base_url", "https://matrix.example.org")),
                "trusted_proxies", List.of("127.0.0.1"),
                "domains", List.of(Map.of("server_name", "b.example", "force_relay", true,
                        "well_known", Map.of("m.homeserver", Map.of("base_url", "https://matrix.b.example")))));
        MatrixConfig config = ConfigShapes.bind(matrix);
        StaticTokenVerifier tokens = new StaticTokenVerifier(StaticTokensConfig.shortForm(Map.of(
                "tok-alice", "@alice:example.org", "tok-bob", "@bob:example.org"), List.of()));
        server = MatrixHttpServer.start(new MatrixEndpoints(config, fixture.tern, tokens, HttpClient.newHttpClient(),
                Clock.systemUTC()), new InetSocketAddress("127.0.0.1", 0), 8192,
                ListenerGuard.create("http", ListenerLimits.DEFAULT, Clock.systemUTC(), MetricsRecorder.NONE));
        List<Map<String, Object>> scenarios = List.of(
                scenario("perUser", "tok-alice", "@alice:example.org", true, null),
                scenario("domainWellKnown", "tok-bob", "@bob:example.org", true, "b.example"),
                scenario("notForced", "tok-bob", "@bob:example.org", true, null),
                scenario("packageNotCalled", "tok-alice", "@alice:example.org", false, null));
        PlaywrightScript.Run run = script.run(List.of("http://127.0.0.1:" + server.localAddress().getPort(),
                new ObjectMapper().writeValueAsString(scenarios), PlaywrightScript.chromium().toString()), Map.of(),
                Duration.ofMinutes(3));
        output = run.output();
        assertEquals(0, run.exitCode(), "the browser script failed:\n" + output);
        String json = output.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow(
                () -> new AssertionError("no JSON line in:\n" + output));
        seen = new ObjectMapper().readTree(json);
    }

    private static Map<String, Object> scenario(String name, String token, String userId, boolean usePackage, String host) {
        Map<String, Object> s = new java.util.LinkedHashMap<>(Map.of("name", name, "accessToken", token, "userId", userId,
                "usePackage", usePackage, "roomId", "!" + name + ":example.org", "invitee", "@callee:example.org"));
        if (host != null) {
            s.put("host", host);
        }
        return s;
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (fixture != null) {
            fixture.close();
        }
        if (coturn != null) {
            coturn.close();
        }
    }

    @Test
    void perUserKeyMakesTheSdkGatherAndSignalRelayCandidatesOnly() {
        JsonNode s = seen.get("perUser");
        assertTrue(s.at("/forceTurn/wellKnown").isNull(), "the default well-known has no flag: " + s);
        assertTrue(s.at("/forceTurn/perUser").asBoolean(), s.toString());
        assertRelayOnly(s);
    }

    @Test
    void domainWellKnownFlagMakesTheSdkGatherAndSignalRelayCandidatesOnly() {
        JsonNode s = seen.get("domainWellKnown");
        assertTrue(s.at("/forceTurn/wellKnown").asBoolean(), s.toString());
        assertTrue(s.at("/forceTurn/perUser").isBoolean() && !s.at("/forceTurn/perUser").asBoolean(), s.toString());
        assertRelayOnly(s);
    }

    @Test
    void withoutAFlagHostCandidatesLeaveThePage() {
        JsonNode s = seen.get("notForced");
        assertFalse(s.at("/forceTurn/forced").asBoolean(true), s.toString());
        assertAddressesLeak(s);
    }

    @Test
    void aClientThatDoesNotHonourTheFlagStillConnectsDirectly() {
        assertAddressesLeak(seen.get("packageNotCalled"));
    }

    private static void assertRelayOnly(JsonNode s) {
        String all = s.toString();
        assertTrue(s.at("/forceTurn/forced").asBoolean(), all);
        assertTrue(s.get("sdkForceTURN").asBoolean(), all);
        assertEquals(1, s.get("turnServers").asInt(), all);
        assertTrue(s.get("configs").size() >= 1, all);
        for (JsonNode config : s.get("configs")) {
            assertEquals("relay", config.get("iceTransportPolicy").asText(), all);
        }
        assertTrue(s.get("sentTypes").toString().contains("m.call.invite"), all);
        List<String> signalled = candidates(s, "signalledSdpCandidates", "signalledCandidates");
        assertFalse(signalled.isEmpty(), "the SDK signalled no candidate at all:\n" + all);
        List<String> everything = candidates(s, "gathered", "localSdpCandidates", "signalledSdpCandidates", "signalledCandidates");
        for (String candidate : everything) {
            assertEquals("relay", typeOf(candidate), "a non-relay candidate: " + candidate + "\n" + all);
            assertTrue(candidate.contains(" 127.0.0.1 "), "a relay candidate not on coturn's loopback relay: " + candidate);
            // A relay candidate's raddr may carry the host address it was allocated from; relay-only ICE hides it.
            assertTrue(!candidate.contains(" raddr ") || candidate.contains(" raddr 0.0.0.0 "),
                    "a relay candidate revealing its base address: " + candidate);
        }
        assertFalse(candidates(s, "localSdpCandidates").isEmpty(), "the final local SDP lists the relay candidate:\n" + all);
    }

    private static void assertAddressesLeak(JsonNode s) {
        String all = s.toString();
        for (JsonNode config : s.get("configs")) {
            assertTrue(config.get("iceTransportPolicy").isNull(), all);
        }
        assertFalse(s.get("sdkForceTURN").asBoolean(), all);
        List<String> signalled = candidates(s, "signalledSdpCandidates", "signalledCandidates");
        assertTrue(signalled.stream().anyMatch(c -> typeOf(c).equals("host")),
                "a host candidate is signalled when relay is not forced:\n" + all);
    }

    private static List<String> candidates(JsonNode s, String... fields) {
        List<String> out = new ArrayList<>();
        for (String field : fields) {
            s.get(field).forEach(c -> out.add(c.asText()));
        }
        return out;
    }

    /** The {@code typ} of an ICE candidate line (RFC 8839): host, srflx, prflx or relay. */
    private static String typeOf(String candidate) {
        String[] words = candidate.split(" ");
        for (int i = 0; i < words.length - 1; i++) {
            if (words[i].equals("typ")) {
                return words[i + 1];
            }
        }
        throw new AssertionError("no typ in candidate " + candidate);
    }
}
