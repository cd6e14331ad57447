package dev.tern.matrix.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.api.Tern;
import dev.tern.spi.AccessTokenVerifier;
import dev.tern.spi.TokenResult;
import dev.tern.matrix.auth.fixed.StaticTokenVerifier;
import dev.tern.matrix.auth.fixed.StaticTokensConfig;
import dev.tern.spi.Verification;
import dev.tern.testing.MutableClock;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MatrixEndpointsTest {

    static final String TURN = "/_matrix/client/v3/voip/turnServer";
    static final Map<String, Object> WELL_KNOWN = Map.of("m.homeserver", Map.of("base_url", "https://matrix.example.org"),
            "org.example.custom", Map.of("x", 1));
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    TestTern fixture;

    @AfterEach
    void close() {
        if (fixture != null) {
            fixture.close();
        }
    }

    static AccessTokenVerifier tokens() {
        return new StaticTokenVerifier(StaticTokensConfig.shortForm(Map.of("tok-alice", "@alice:example.org",
                "tok-bob", "@bob:example.org", "tok-guest", "@guest:example.org"), List.of("@guest:example.org")));
    }

    MatrixEndpoints endpoints(MatrixConfig config, TestTern.RecordingPolicy policy) {
        fixture = TestTern.withIssuer(dir, clock, policy);
        return new MatrixEndpoints(config, fixture.tern, tokens(), HttpClient.newHttpClient(), clock);
    }

    MatrixEndpoints endpoints() {
        return endpoints(MatrixConfig.withWellKnown(WELL_KNOWN), new TestTern.RecordingPolicy(false, Set.of(), true));
    }

    static MatrixConfig config(Map<String, Object> changes) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("well_known", WELL_KNOWN);
        all.putAll(changes);
        return ConfigShapes.bind(all);
    }

    static MatrixRequest request(String method, String pathAndQuery, Map<String, String> headers) {
        return request(method, pathAndQuery, headers, "192.0.2.7");
    }

    static MatrixRequest request(String method, String pathAndQuery, Map<String, String> headers, String remote) {
        int q = pathAndQuery.indexOf('?');
        Map<String, List<String>> h = new LinkedHashMap<>();
        headers.forEach((k, v) -> h.put(k, List.of(v)));
        try {
            return new MatrixRequest(method, q < 0 ? pathAndQuery : pathAndQuery.substring(0, q),
                    q < 0 ? "" : pathAndQuery.substring(q + 1), h, InetAddress.getByName(remote));
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static MatrixResponse answer(MatrixEndpoints endpoints, MatrixRequest request) {
        try {
            return endpoints.handle(request).toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static JsonNode body(MatrixResponse response) {
        try {
            return JSON.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + response.bodyText(), e);
        }
    }

    static void assertError(MatrixResponse response, int status, String errcode) {
        assertEquals(status, response.status(), response.bodyText());
        assertEquals(errcode, body(response).path("errcode").asText(), response.bodyText());
        assertTrue(body(response).path("error").isTextual());
        assertEquals("application/json", response.headers().get("Content-Type"));
    }

    @Test
    void issuesCredentialsTheRestVerifierAccepts() {
        MatrixEndpoints endpoints = endpoints();
        for (String version : List.of("v3", "r0", "api/v1", "unstable")) {
            MatrixResponse response = answer(endpoints, request("GET", "/_matrix/client/" + version + "/voip/turnServer",
                    Map.of("Authorization", "Bearer tok-alice")));
            assertEquals(200, response.status(), version);
            JsonNode body = body(response);
            assertEquals(3600, body.get("ttl").asLong());
            assertTrue(body.get("ttl").isIntegralNumber());
            assertEquals(TestTern.URIS, List.of(body.get("uris").get(0).asText(), body.get("uris").get(1).asText()));
            String username = body.get("username").asText();
            assertTrue(username.endsWith(":@alice:example.org"), username);
            assertEquals(clock.instant().plus(Duration.ofHours(1)).getEpochSecond(),
                    Long.parseLong(username.substring(0, username.indexOf(':'))));
            Verification verified = fixture.issuer.verifier().orElseThrow().verify(username, "example.org");
            Verification.Accepted accepted = assertInstanceOf(Verification.Accepted.class, verified);
            assertEquals("@alice:example.org", accepted.userId());
            assertEquals(fixture.issuer.issue(dev.tern.spi.Subject.user("@alice:example.org"), Duration.ofDays(1))
                    .password(), body.get("password").asText());
            assertEquals("no-store", response.headers().get("Cache-Control"));
            assertEquals("*", response.headers().get("Access-Control-Allow-Origin"));
        }
    }

    @Test
    void acceptsTheLegacyQueryParameterToken() {
        MatrixResponse response = answer(endpoints(), request("GET", TURN + "?access_token=tok-bob", Map.of()));
        assertEquals(200, response.status());
        assertTrue(body(response).get("username").asText().endsWith(":@bob:example.org"));
    }

    @Test
    void refusesAMissingToken() {
        assertError(answer(endpoints(), request("GET", TURN, Map.of())), 401, "M_MISSING_TOKEN");
        assertError(answer(endpoints(), request("GET", TURN + "?access_token=", Map.of())), 401, "M_MISSING_TOKEN");
    }

    @Test
    void refusesAnAuthorizationHeaderThatIsNotBearer() {
        assertError(answer(endpoints(), request("GET", TURN, Map.of("Authorization", "Basic dG9rLWFsaWNlOg=="))),
                401, "M_MISSING_TOKEN");
        assertError(answer(endpoints(), request("GET", TURN, Map.of("Authorization", "Bearer "))), 401, "M_MISSING_TOKEN");
    }

    @Test
    void refusesATokenGivenBothInHeaderAndQuery() {
        assertError(answer(endpoints(), request("GET", TURN + "?access_token=tok-alice",
                Map.of("Authorization", "Bearer tok-alice"))), 401, "M_MISSING_TOKEN");
    }

    @Test
    void refusesAnUnknownToken() {
        MatrixResponse response = answer(endpoints(), request("GET", TURN, Map.of("Authorization", "Bearer nope")));
        assertError(response, 401, "M_UNKNOWN_TOKEN");
        assertFalse(body(response).get("soft_logout").asBoolean());
    }

    @Test
    void refusesGuestsWhenPolicyDoesNotAllowThem() {
        MatrixEndpoints endpoints = endpoints(MatrixConfig.withWellKnown(WELL_KNOWN),
                new TestTern.RecordingPolicy(false, Set.of(), false));
        assertError(answer(endpoints, request("GET", TURN, Map.of("Authorization", "Bearer tok-guest"))),
                403, "M_GUEST_ACCESS_FORBIDDEN");
        assertEquals(200, answer(endpoints, request("GET", TURN, Map.of("Authorization", "Bearer tok-alice"))).status());
        assertTrue(fixture.policy.asked.get(0).guest());
    }

    @Test
    void refusesUsersPolicyDeniesTurn() {
        MatrixEndpoints endpoints = endpoints(MatrixConfig.withWellKnown(WELL_KNOWN),
                new TestTern.RecordingPolicy(false, Set.of("@bob:example.org"), true));
        assertError(answer(endpoints, request("GET", TURN, Map.of("Authorization", "Bearer tok-bob"))), 403, "M_FORBIDDEN");
    }

    @Test
    void answersEmptyObjectWithoutTurnByDefault() {
        fixture = TestTern.withoutIssuer(dir, clock);
        MatrixEndpoints endpoints = new MatrixEndpoints(MatrixConfig.withWellKnown(WELL_KNOWN), fixture.tern, tokens(),
                HttpClient.newHttpClient(), clock);
        MatrixResponse response = answer(endpoints, request("GET", TURN, Map.of("Authorization", "Bearer tok-alice")));
        assertEquals(200, response.status());
        assertEquals("{}", response.bodyText());
    }

    @Test
    void answersNotFoundWithoutTurnWhenConfigured() {
        fixture = TestTern.withoutIssuer(dir, clock);
        MatrixEndpoints endpoints = new MatrixEndpoints(config(Map.of("not_configured_response", "not_found")),
                fixture.tern, tokens(), HttpClient.newHttpClient(), clock);
        assertError(answer(endpoints, request("GET", TURN, Map.of("Authorization", "Bearer tok-alice"))), 404, "M_NOT_FOUND");
        // the token is still checked first
        assertError(answer(endpoints, request("GET", TURN, Map.of("Authorization", "Bearer x"))), 401, "M_UNKNOWN_TOKEN");
    }

    @Test
    void limitsEachUserWithATokenBucket() {
        MatrixEndpoints endpoints = endpoints(config(Map.of("rate_limit", Map.of("per_second", 0.5, "burst", 2))),
                new TestTern.RecordingPolicy(false, Set.of(), true));
        Map<String, String> alice = Map.of("Authorization", "Bearer tok-alice");
        assertEquals(200, answer(endpoints, request("GET", TURN, alice)).status());
        assertEquals(200, answer(endpoints, request("GET", TURN, alice)).status());
        MatrixResponse limited = answer(endpoints, request("GET", TURN, alice));
        assertError(limited, 429, "M_LIMIT_EXCEEDED");
        assertEquals(2000, body(limited).get("retry_after_ms").asLong());
        assertEquals("2", limited.headers().get("Retry-After"));
        // another user has a bucket of their own
        assertEquals(200, answer(endpoints, request("GET", TURN, Map.of("Authorization", "Bearer tok-bob"))).status());
        clock.advance(Duration.ofMillis(1500));
        assertEquals(500, body(answer(endpoints, request("GET", TURN, alice))).get("retry_after_ms").asLong());
        clock.advance(Duration.ofMillis(500));
        assertEquals(200, answer(endpoints, request("GET", TURN, alice)).status());
    }

    @Test
    void countsItsTokenBucketsAndForgetsEachOnceItIsFullAgain() {
        MatrixEndpoints endpoints = endpoints(Map.of("rate_limit", Map.of("per_second", 1, "burst", 2),
                "unknown_token_limit", Map.of("per_second", 1, "burst", 2)), new CountingVerifier());
        assertEquals(0, endpoints.rateLimitBuckets());
        assertEquals(200, ask(endpoints, "tok-alice", "192.0.2.7").status());
        assertError(ask(endpoints, "guess", "192.0.2.7"), 401, "M_UNKNOWN_TOKEN");
        assertEquals(200, ask(endpoints, "tok-bob", "192.0.2.8").status());
        // users alice and bob, addresses .7 and .8 (every request is counted at its address until its token checks out)
        assertEquals(4, endpoints.rateLimitBuckets());
        clock.advance(Duration.ofMillis(1999));
        assertEquals(4, endpoints.rateLimitBuckets(), "not yet full again");
        clock.advance(Duration.ofMillis(2));
        assertEquals(0, endpoints.rateLimitBuckets(), "full again after burst / per_second, so forgotten");
    }

    /** The static tokens, plus "tok-down" that cannot be checked; counts what it is asked. */
    static final class CountingVerifier implements AccessTokenVerifier {
        final AccessTokenVerifier known = tokens();
        int asked;

        @Override
        public java.util.concurrent.CompletionStage<TokenResult> verify(String token) {
            asked++;
            return token.equals("tok-down") ? CompletableFuture.completedFuture(new TokenResult.Unavailable("down"))
                    : known.verify(token);
        }
    }

    MatrixEndpoints endpoints(Map<String, Object> changes, AccessTokenVerifier verifier) {
        fixture = TestTern.withIssuer(dir, clock, new TestTern.RecordingPolicy(false, Set.of(), true));
        return new MatrixEndpoints(config(changes), fixture.tern, verifier, HttpClient.newHttpClient(), clock);
    }

    static MatrixResponse ask(MatrixEndpoints endpoints, String token, String from) {
        return answer(endpoints, request("GET", TURN, Map.of("Authorization", "Bearer " + token), from));
    }

    @Test
    void limitsUnknownTokensPerAddressWithoutCheckingThemOnceTheBucketIsEmpty() {
        CountingVerifier verifier = new CountingVerifier();
        MatrixEndpoints endpoints = endpoints(Map.of("unknown_token_limit", Map.of("per_second", 0.5, "burst", 3)),
                verifier);
        for (int i = 0; i < 3; i++) {
            assertError(ask(endpoints, "guess-" + i, "192.0.2.7"), 401, "M_UNKNOWN_TOKEN");
        }
        MatrixResponse limited = ask(endpoints, "guess-3", "192.0.2.7");
        assertError(limited, 429, "M_LIMIT_EXCEEDED");
        assertEquals(2000, body(limited).get("retry_after_ms").asLong());
        assertEquals("2", limited.headers().get("Retry-After"));
        assertEquals(3, verifier.asked, "the fourth token was never checked");
        // a user at that address waits too (the token cannot be told apart before it is checked) ...
        assertError(ask(endpoints, "tok-alice", "192.0.2.7"), 429, "M_LIMIT_EXCEEDED");
        // ... while another address has a bucket of its own
        assertError(ask(endpoints, "guess-4", "192.0.2.8"), 401, "M_UNKNOWN_TOKEN");
        assertEquals(200, ask(endpoints, "tok-alice", "192.0.2.9").status());
        clock.advance(Duration.ofSeconds(2));
        assertError(ask(endpoints, "guess-5", "192.0.2.7"), 401, "M_UNKNOWN_TOKEN");
        assertError(ask(endpoints, "guess-6", "192.0.2.7"), 429, "M_LIMIT_EXCEEDED");
    }

    @Test
    void usersAndUncheckableTokensDoNotCountAgainstTheirAddress() {
        CountingVerifier verifier = new CountingVerifier();
        MatrixEndpoints endpoints = endpoints(Map.of("unknown_token_limit", Map.of("burst", 1),
                "rate_limit", Map.of("burst", 100)), verifier);
        for (int i = 0; i < 5; i++) {
            assertEquals(200, ask(endpoints, "tok-alice", "192.0.2.7").status());
            assertError(ask(endpoints, "tok-down", "192.0.2.7"), 503, "M_UNKNOWN");
        }
        assertError(ask(endpoints, "guess", "192.0.2.7"), 401, "M_UNKNOWN_TOKEN");
        assertError(ask(endpoints, "guess", "192.0.2.7"), 429, "M_LIMIT_EXCEEDED");
        assertEquals(11, verifier.asked);
    }

    @Test
    void countsIpv6UnknownTokensPerSlash64() {
        MatrixEndpoints endpoints = endpoints(Map.of("unknown_token_limit", Map.of("burst", 2)), new CountingVerifier());
        assertError(ask(endpoints, "guess", "2001:db8:7:1::1"), 401, "M_UNKNOWN_TOKEN");
        assertError(ask(endpoints, "guess", "2001:db8:7:1:abcd::2"), 401, "M_UNKNOWN_TOKEN");
        assertError(ask(endpoints, "guess", "2001:db8:7:1:ffff::3"), 429, "M_LIMIT_EXCEEDED");
        assertError(ask(endpoints, "guess", "2001:db8:7:2::1"), 401, "M_UNKNOWN_TOKEN");
    }

    @Test
    void countsUnknownTokensAtTheClientBehindATrustedProxy() {
        MatrixEndpoints endpoints = endpoints(Map.of("unknown_token_limit", Map.of("burst", 1),
                "trusted_proxies", List.of("10.0.0.1")), new CountingVerifier());
        java.util.function.BiFunction<String, String, MatrixResponse> viaProxy = (token, client) -> answer(endpoints,
                request("GET", TURN, Map.of("Authorization", "Bearer " + token, "X-Forwarded-For", client), "10.0.0.1"));
        assertError(viaProxy.apply("guess", "203.0.113.5"), 401, "M_UNKNOWN_TOKEN");
        assertError(viaProxy.apply("guess", "203.0.113.5"), 429, "M_LIMIT_EXCEEDED");
        assertError(viaProxy.apply("guess", "203.0.113.6"), 401, "M_UNKNOWN_TOKEN");
    }

    @Test
    void answersServiceUnavailableWhenTheTokenCannotBeChecked() {
        fixture = TestTern.withIssuer(dir, clock, new TestTern.RecordingPolicy(false, Set.of(), true));
        AccessTokenVerifier down = token -> CompletableFuture.completedFuture(new TokenResult.Unavailable("down"));
        MatrixEndpoints endpoints = new MatrixEndpoints(MatrixConfig.withWellKnown(WELL_KNOWN), fixture.tern, down,
                HttpClient.newHttpClient(), clock);
        assertError(answer(endpoints, request("GET", TURN, Map.of("Authorization", "Bearer tok-alice"))), 503, "M_UNKNOWN");
    }

    @Test
    void answersInternalErrorWithoutDetailWhenAVerifierBreaksItsContract() {
        fixture = TestTern.withIssuer(dir, clock, new TestTern.RecordingPolicy(false, Set.of(), true));
        AccessTokenVerifier broken = token -> CompletableFuture.failedFuture(new IllegalStateException("secret detail"));
        MatrixEndpoints endpoints = new MatrixEndpoints(MatrixConfig.withWellKnown(WELL_KNOWN), fixture.tern, broken,
                HttpClient.newHttpClient(), clock);
        MatrixResponse response = answer(endpoints, request("GET", TURN, Map.of("Authorization", "Bearer tok-alice")));
        assertError(response, 500, "M_UNKNOWN");
        assertFalse(response.bodyText().contains("secret detail"));
        assertFalse(response.bodyText().contains("Exception"));
    }

    @Test
    void refusesOtherMethodsWith405() {
        MatrixEndpoints endpoints = endpoints();
        for (String method : List.of("POST", "PUT", "DELETE", "HEAD", "PATCH")) {
            MatrixResponse response = answer(endpoints, request(method, TURN, Map.of("Authorization", "Bearer tok-alice")));
            assertError(response, 405, "M_UNRECOGNIZED");
            assertEquals("GET, OPTIONS", response.headers().get("Allow"));
            assertError(answer(endpoints, request(method, "/.well-known/matrix/client", Map.of())), 405, "M_UNRECOGNIZED");
        }
    }

    @Test
    void answersUnknownPathsWith404Unrecognized() {
        MatrixEndpoints endpoints = endpoints();
        for (String path : List.of("/", "/_matrix/client/v4/voip/turnServer", "/_matrix/client/v3/voip/turnServer/",
                "/_matrix/client/v3/voip/turnserver", "/.well-known/matrix/server", "/../.well-known/matrix/client",
                "/_matrix/client/v3/voip/turnServer%00")) {
            assertError(answer(endpoints, request("GET", path, Map.of())), 404, "M_UNRECOGNIZED");
        }
    }

    @Test
    void answersOptionsWithCorsHeaders() {
        MatrixEndpoints endpoints = endpoints();
        for (String path : List.of(TURN, "/.well-known/matrix/client")) {
            MatrixResponse response = answer(endpoints, request("OPTIONS", path, Map.of("Origin", "https://app.element.io")));
            assertEquals(200, response.status());
            assertEquals("*", response.headers().get("Access-Control-Allow-Origin"));
            assertEquals("GET, POST, PUT, DELETE, OPTIONS", response.headers().get("Access-Control-Allow-Methods"));
            assertEquals("X-Requested-With, Content-Type, Authorization", response.headers().get("Access-Control-Allow-Headers"));
        }
    }

    @Test
    void leavesCorsOutWhenTurnedOff() {
        MatrixResponse response = answer(endpoints(config(Map.of("cors", false)),
                new TestTern.RecordingPolicy(false, Set.of(), true)), request("GET", "/.well-known/matrix/client", Map.of()));
        assertFalse(response.headers().containsKey("Access-Control-Allow-Origin"));
    }

    @Test
    void publishesForceTurnWhenTheServerForcesRelay() {
        MatrixEndpoints endpoints = endpoints(config(Map.of("cache_max_age", "10m")),
                new TestTern.RecordingPolicy(true, Set.of(), true));
        MatrixResponse response = answer(endpoints, request("GET", "/.well-known/matrix/client", Map.of()));
        assertEquals(200, response.status());
        JsonNode body = body(response);
        assertTrue(body.get(Tern.FORCE_TURN_KEY).isBoolean());
        assertTrue(body.get(Tern.FORCE_TURN_KEY).asBoolean());
        assertEquals("https://matrix.example.org", body.at("/m.homeserver/base_url").asText());
        assertEquals(1, body.at("/org.example.custom/x").asInt());
        assertEquals("public, max-age=600", response.headers().get("Cache-Control"));
        assertEquals("application/json", response.headers().get("Content-Type"));
        assertEquals("*", response.headers().get("Access-Control-Allow-Origin"));
    }

    @Test
    void leavesForceTurnOutWhenNotForcedByDefault() {
        MatrixResponse response = answer(endpoints(), request("GET", "/.well-known/matrix/client", Map.of()));
        assertFalse(body(response).has(Tern.FORCE_TURN_KEY));
        assertEquals("public, max-age=3600", response.headers().get("Cache-Control"));
    }

    @Test
    void writesForceTurnFalseWhenConfiguredAndNotForced() {
        Map<String, Object> withStaleFlag = new LinkedHashMap<>(WELL_KNOWN);
        withStaleFlag.put(Tern.FORCE_TURN_KEY, true); // policy decides, not a stale key in the file
        MatrixResponse response = answer(endpoints(config(Map.of("well_known", withStaleFlag,
                "force_turn_false_when_not_forced", true)), new TestTern.RecordingPolicy(false, Set.of(), true)),
                request("GET", "/.well-known/matrix/client", Map.of()));
        assertTrue(body(response).get(Tern.FORCE_TURN_KEY).isBoolean());
        assertFalse(body(response).get(Tern.FORCE_TURN_KEY).asBoolean());
    }

    @Test
    void givesPolicyTheClientAddressFromTrustedProxiesOnly() {
        MatrixEndpoints endpoints = endpoints(config(Map.of("trusted_proxies", List.of("127.0.0.1", "10.0.0.0/8"))),
                new TestTern.RecordingPolicy(false, Set.of(), true));
        Map<String, String> headers = Map.of("Authorization", "Bearer tok-alice",
                "X-Forwarded-For", "203.0.113.9, 198.51.100.4, 10.1.2.3");
        answer(endpoints, request("GET", TURN, headers, "127.0.0.1"));
        answer(endpoints, request("GET", TURN, headers, "192.0.2.50"));
        answer(endpoints, request("GET", TURN, Map.of("Authorization", "Bearer tok-alice",
                "X-Forwarded-For", "not-an-address"), "10.9.9.9"));
        List<String> seen = fixture.policy.asked.stream()
                .map(s -> s.remoteAddress().orElseThrow().getHostAddress()).toList();
        assertEquals(List.of("198.51.100.4", "192.0.2.50", "10.9.9.9"), seen);
    }

    @Test
    void turnServerAnswerCarriesTheUsersForceRelayDecision() {
        MatrixResponse forced = answer(endpoints(MatrixConfig.withWellKnown(WELL_KNOWN),
                new TestTern.RecordingPolicy(true, Set.of(), true)), request("GET", TURN, Map.of("Authorization", "Bearer tok-alice")));
        assertEquals(200, forced.status(), forced.bodyText());
        assertTrue(body(forced).get(MatrixEndpoints.FORCE_RELAY_KEY).isBoolean());
        assertTrue(body(forced).get(MatrixEndpoints.FORCE_RELAY_KEY).asBoolean());
        close();

        MatrixResponse free = answer(endpoints(), request("GET", TURN, Map.of("Authorization", "Bearer tok-alice")));
        assertTrue(body(free).get(MatrixEndpoints.FORCE_RELAY_KEY).isBoolean());
        assertFalse(body(free).get(MatrixEndpoints.FORCE_RELAY_KEY).asBoolean());
        assertEquals(5, body(free).size(), "the four spec keys and the extension key: " + free.bodyText());
    }

    static final Map<String, Object> B_WELL_KNOWN = Map.of("m.homeserver", Map.of("base_url", "https://matrix.b.example"));
    static final Map<String, Object> C_WELL_KNOWN = Map.of("m.homeserver", Map.of("base_url", "https://matrix.c.example"));

    MatrixEndpoints hostingTwoMoreDomains(boolean serverWideForced) {
        return endpoints(config(Map.of("trusted_proxies", List.of("127.0.0.1"), "domains", List.of(
                Map.of("server_name", "b.example", "hosts", List.of("b.example", "matrix.b.example"),
                        "well_known", B_WELL_KNOWN, "force_relay", true),
                Map.of("server_name", "c.example", "well_known", C_WELL_KNOWN)))),
                new TestTern.RecordingPolicy(serverWideForced, Set.of(), true));
    }

    static JsonNode wellKnownFor(MatrixEndpoints endpoints, Map<String, String> headers, String remote) {
        MatrixResponse response = answer(endpoints, request("GET", "/.well-known/matrix/client", headers, remote));
        assertEquals(200, response.status(), response.bodyText());
        return body(response);
    }

    @Test
    void answersEachHostedDomainsWellKnownWithItsOwnFlag() {
        MatrixEndpoints endpoints = hostingTwoMoreDomains(false);
        JsonNode b = wellKnownFor(endpoints, Map.of("Host", "matrix.B.example:443"), "192.0.2.7");
        assertEquals("https://matrix.b.example", b.at("/m.homeserver/base_url").asText());
        assertTrue(b.get(Tern.FORCE_TURN_KEY).asBoolean(), b.toString());
        JsonNode c = wellKnownFor(endpoints, Map.of("Host", "c.example."), "192.0.2.7");
        assertEquals("https://matrix.c.example", c.at("/m.homeserver/base_url").asText());
        assertFalse(c.has(Tern.FORCE_TURN_KEY), c.toString());
    }

    @Test
    void servesTheDefaultDomainForAnUnknownOrMissingHost() {
        MatrixEndpoints endpoints = hostingTwoMoreDomains(false);
        for (Map<String, String> headers : List.of(Map.of("Host", "unknown.example"), Map.<String, String>of())) {
            JsonNode doc = wellKnownFor(endpoints, headers, "192.0.2.7");
            assertEquals("https://matrix.example.org", doc.at("/m.homeserver/base_url").asText(), headers.toString());
            assertFalse(doc.has(Tern.FORCE_TURN_KEY));
        }
    }

    @Test
    void serverWidePolicyForcesEveryHostedDomain() {
        MatrixEndpoints endpoints = hostingTwoMoreDomains(true);
        assertTrue(wellKnownFor(endpoints, Map.of("Host", "c.example"), "192.0.2.7").get(Tern.FORCE_TURN_KEY).asBoolean());
        assertTrue(wellKnownFor(endpoints, Map.of(), "192.0.2.7").get(Tern.FORCE_TURN_KEY).asBoolean());
    }

    @Test
    void believesForwardedHostFromTrustedProxiesOnly() {
        MatrixEndpoints endpoints = hostingTwoMoreDomains(false);
        Map<String, String> headers = Map.of("Host", "tern.internal:8008", "X-Forwarded-Host", "b.example, proxy.example");
        assertEquals("https://matrix.b.example",
                wellKnownFor(endpoints, headers, "127.0.0.1").at("/m.homeserver/base_url").asText());
        assertEquals("https://matrix.example.org",
                wellKnownFor(endpoints, headers, "192.0.2.7").at("/m.homeserver/base_url").asText());
    }

    @Test
    void aDomainsForceRelayReachesItsUsersTurnServerAnswer() {
        AccessTokenVerifier tokens = new StaticTokenVerifier(StaticTokensConfig.shortForm(Map.of(
                "tok-b", "@bea:b.example", "tok-c", "@cem:c.example", "tok-a", "@alice:example.org"), List.of()));
        hostingTwoMoreDomains(false);
        MatrixEndpoints endpoints = new MatrixEndpoints(config(Map.of("domains", List.of(
                Map.of("server_name", "b.example", "well_known", B_WELL_KNOWN, "force_relay", true),
                Map.of("server_name", "c.example", "well_known", C_WELL_KNOWN)))), fixture.tern, tokens,
                HttpClient.newHttpClient(), clock);
        Map<String, Boolean> forced = new LinkedHashMap<>();
        for (String token : List.of("tok-b", "tok-c", "tok-a")) {
            MatrixResponse response = answer(endpoints, request("GET", TURN, Map.of("Authorization", "Bearer " + token)));
            assertEquals(200, response.status(), response.bodyText());
            forced.put(token, body(response).get(MatrixEndpoints.FORCE_RELAY_KEY).asBoolean());
        }
        assertEquals(Map.of("tok-b", true, "tok-c", false, "tok-a", false), forced);
    }
}
