package dev.tern.matrix.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.guard.ListenerGuard;
import dev.tern.guard.ListenerLimits;
import dev.tern.matrix.auth.fixed.StaticTokenVerifier;
import dev.tern.matrix.auth.fixed.StaticTokensConfig;
import dev.tern.matrix.http.MatrixConfig;
import dev.tern.matrix.http.MatrixEndpoints;
import dev.tern.matrix.http.RateLimitConfig;
import dev.tern.matrix.http.TestTern;
import dev.tern.matrix.netty.MatrixHttpServer;
import dev.tern.spi.MetricsRecorder;
import dev.tern.spi.Verification;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * matrix-js-sdk (pinned in {@code src/test/node/package.json}) against the Netty binding on a random loopback
 * port: AutoDiscovery sees the MSC4096 flag, the SDK's own TURN polling gets credentials that Tern's rest
 * verifier accepts, and the error paths arrive as the SDK reports them.
 */
class MatrixJsSdkIT {

    @TempDir
    static Path dir;
    static TestTern fixture;
    static MatrixHttpServer server;
    static JsonNode seen;

    @BeforeAll
    static void runTheSdk() throws Exception {
        NodeScript.install();
        fixture = TestTern.withIssuer(dir, Clock.systemUTC(),
                new TestTern.RecordingPolicy(true, Set.of("@bob:example.org"), false));
        MatrixConfig defaults = MatrixConfig.withWellKnown(Map.of("m.homeserver", Map.of("base_url", "https://matrix.example.org")));
        MatrixConfig config = MatrixConfig.builder()
                .wellKnown(defaults.wellKnown())
                .rateLimit(new RateLimitConfig(0.01, 1, null))
                .build();
        StaticTokenVerifier tokens = new StaticTokenVerifier(StaticTokensConfig.shortForm(Map.of(
                "tok-alice", "@alice:example.org", "tok-bob", "@bob:example.org", "tok-guest", "@guest:example.org",
                "tok-carol", "@carol:example.org"), List.of("@guest:example.org")));
        server = MatrixHttpServer.start(new MatrixEndpoints(config, fixture.tern, tokens, HttpClient.newHttpClient(),
                Clock.systemUTC()), new InetSocketAddress("127.0.0.1", 0), 8192,
                ListenerGuard.create("http", ListenerLimits.DEFAULT, Clock.systemUTC(), MetricsRecorder.NONE));
        NodeScript.Result result = NodeScript.run(List.of("node", "matrix-client.mjs",
                "http://127.0.0.1:" + server.localAddress().getPort()), 120);
        assertEquals(0, result.exitCode(), "the node script failed:\n" + result.stderr());
        seen = new ObjectMapper().readTree(result.stdout());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void autoDiscoverySeesForceTurn() {
        JsonNode discovery = seen.get("discovery");
        assertEquals("SUCCESS", discovery.get("state").asText(), discovery.toString());
        assertEquals("https://matrix.example.org", discovery.get("baseUrl").asText());
        assertTrue(discovery.get("hasForceTurn").asBoolean(), discovery.toString());
        assertTrue(discovery.get("forceTurn").isBoolean() && discovery.get("forceTurn").asBoolean(), discovery.toString());
    }

    @Test
    void sdkPollingGetsCredentialsTheVerifierAccepts() throws Exception {
        JsonNode alice = seen.get("alice");
        assertTrue(alice.get("good").asBoolean(), alice.path("error").toString());
        JsonNode server = alice.get("servers").get(0);
        assertEquals(TestTern.URIS, List.of(server.get("urls").get(0).asText(), server.get("urls").get(1).asText()));
        String username = server.get("username").asText();
        assertTrue(username.endsWith(":@alice:example.org"), username);
        // ttl in seconds: the SDK computed an expiry about an hour away
        long expiresIn = alice.get("expiresInMs").asLong();
        assertTrue(expiresIn > 3_500_000 && expiresIn <= 3_600_000, "expires in " + expiresIn + "ms");

        Verification verified = fixture.issuer.verifier().orElseThrow().verify(username, "example.org");
        assertTrue(verified instanceof Verification.Accepted, verified.toString());
        byte[] key = MessageDigest.getInstance("MD5").digest((username + ":example.org:" + server.get("credential").asText())
                .getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(((Verification.Accepted) verified).keys().get(0).md5(), key,
                "the password the SDK got does not make the relay's long-term key");
    }

    @Test
    void sdkStopsPollingWhenPolicyDeniesTheUser() {
        JsonNode bob = seen.get("deniedUser");
        assertFalse(bob.get("good").asBoolean());
        assertEquals(0, bob.get("servers").size());
        assertEquals(403, bob.at("/error/httpStatus").asInt());
        assertEquals("M_FORBIDDEN", bob.at("/error/errcode").asText());
        assertTrue(bob.at("/error/fatal").asBoolean(), "a 403 makes the SDK stop polling");
    }

    @Test
    void sdkReportsGuestsForbidden() {
        JsonNode guest = seen.get("guest");
        assertEquals(403, guest.at("/error/httpStatus").asInt());
        assertEquals("M_GUEST_ACCESS_FORBIDDEN", guest.at("/error/errcode").asText());
        assertTrue(guest.at("/error/fatal").asBoolean());
    }

    @Test
    void sdkReportsAnUnknownTokenAndWillRetry() {
        JsonNode unknown = seen.get("unknownToken");
        assertFalse(unknown.get("good").asBoolean());
        assertEquals(401, unknown.at("/error/httpStatus").asInt());
        assertEquals("M_UNKNOWN_TOKEN", unknown.at("/error/errcode").asText());
        assertFalse(unknown.at("/error/fatal").asBoolean());
    }

    @Test
    void sdkTakesTheAnswerWithTheForceRelayKey() {
        // The SDK's polling above succeeded on answers carrying the extension key; here is the key as it arrived.
        JsonNode carol = seen.get("carolFirst");
        assertTrue(carol.get("keys").toString().contains("\"dev.tern.force_relay\""), carol.toString());
        assertTrue(carol.get("forceRelay").isBoolean() && carol.get("forceRelay").asBoolean(),
                "the policy here forces relay for everyone: " + carol);
        assertTrue(seen.at("/alice/good").asBoolean(), seen.get("alice").toString());
    }

    @Test
    void sdkSeesTheRateLimitWithRetryAfter() {
        assertTrue(seen.at("/carolFirst/ok").asBoolean(), seen.get("carolFirst").toString());
        JsonNode again = seen.get("carolAgain");
        assertFalse(again.get("ok").asBoolean());
        assertEquals(429, again.get("httpStatus").asInt());
        assertEquals("M_LIMIT_EXCEEDED", again.get("errcode").asText());
        assertTrue(again.get("retryAfterMs").asLong() > 0, again.toString());
    }
}
