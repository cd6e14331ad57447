package dev.tern.matrix.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.AccessTokenVerifier;
import dev.tern.spi.TokenResult;
import dev.tern.matrix.auth.whoami.WhoamiConfig;
import dev.tern.matrix.auth.whoami.WhoamiTokenVerifier;
import dev.tern.matrix.http.TestHomeserver;
import dev.tern.matrix.http.TestHomeserver.Answer;
import dev.tern.spi.InvalidSettingException;
import dev.tern.testing.MutableClock;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WhoamiTokenVerifierTest {

    static final String WHOAMI = "/_matrix/client/v3/account/whoami";

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    TestHomeserver homeserver;

    @AfterEach
    void stop() {
        if (homeserver != null) {
            homeserver.close();
        }
    }

    WhoamiTokenVerifier verifier(String timeout) throws Exception {
        homeserver = homeserver == null ? new TestHomeserver() : homeserver;
        return new WhoamiTokenVerifier(new WhoamiConfig(homeserver.baseUrl() + "/", Duration.parse(timeout),
                Duration.ofMinutes(2), Duration.ofSeconds(10), 100), HttpClient.newHttpClient(), clock);
    }

    static TokenResult verify(AccessTokenVerifier verifier, String token) throws Exception {
        return verifier.verify(token).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void learnsUserGuestFlagAndDeviceFromWhoami() throws Exception {
        homeserver = new TestHomeserver().answerToken("syt_alice", Answer.json(200,
                "{\"user_id\":\"@alice:example.org\",\"is_guest\":true,\"device_id\":\"DEV1\"}"));
        TokenResult result = verify(verifier("PT5S"), "syt_alice");
        assertEquals(new TokenResult.Valid("@alice:example.org", true, Optional.of("DEV1")), result);
        assertEquals("Bearer syt_alice", homeserver.authorizations.get(0));
    }

    @Test
    void remembersAUserUntilTheCacheTimePasses() throws Exception {
        homeserver = new TestHomeserver().answerToken("syt_bob", Answer.json(200, "{\"user_id\":\"@bob:example.org\"}"));
        WhoamiTokenVerifier verifier = verifier("PT5S");
        assertInstanceOf(TokenResult.Valid.class, verify(verifier, "syt_bob"));
        assertInstanceOf(TokenResult.Valid.class, verify(verifier, "syt_bob"));
        assertEquals(1, homeserver.requests());
        clock.advance(Duration.ofMinutes(3));
        assertInstanceOf(TokenResult.Valid.class, verify(verifier, "syt_bob"));
        assertEquals(2, homeserver.requests());
    }

    @Test
    void remembersAnUnknownTokenForTheFailureCacheTime() throws Exception {
        homeserver = new TestHomeserver().answer(WHOAMI, Answer.json(401, "{\"errcode\":\"M_UNKNOWN_TOKEN\"}"));
        WhoamiTokenVerifier verifier = verifier("PT5S");
        assertInstanceOf(TokenResult.Unknown.class, verify(verifier, "nope"));
        assertInstanceOf(TokenResult.Unknown.class, verify(verifier, "nope"));
        assertEquals(1, homeserver.requests());
        clock.advance(Duration.ofSeconds(11));
        assertInstanceOf(TokenResult.Unknown.class, verify(verifier, "nope"));
        assertEquals(2, homeserver.requests());
    }

    @Test
    void reportsJunkAsUnavailableAndAsksAgainNextTime() throws Exception {
        homeserver = new TestHomeserver().answer(WHOAMI, Answer.json(200, "<html>oops</html>"));
        WhoamiTokenVerifier verifier = verifier("PT5S");
        assertInstanceOf(TokenResult.Unavailable.class, verify(verifier, "tok"));
        homeserver.answer(WHOAMI, Answer.json(200, "{\"user_id\":\"not a user id\"}"));
        assertInstanceOf(TokenResult.Unavailable.class, verify(verifier, "tok"));
        homeserver.answer(WHOAMI, Answer.json(502, "{}"));
        assertInstanceOf(TokenResult.Unavailable.class, verify(verifier, "tok"));
        assertEquals(3, homeserver.requests());
    }

    @Test
    void reportsAHangingHomeserverAsUnavailableAfterTheTimeout() throws Exception {
        homeserver = new TestHomeserver().answer(WHOAMI, Answer.hang());
        TokenResult result = verify(verifier("PT0.3S"), "tok");
        assertTrue(((TokenResult.Unavailable) result).reason().contains("did not answer"), result.toString());
    }

    @Test
    void reportsAnUnreachableHomeserverAsUnavailable() throws Exception {
        homeserver = new TestHomeserver();
        WhoamiTokenVerifier verifier = verifier("PT2S");
        homeserver.close();
        assertInstanceOf(TokenResult.Unavailable.class, verify(verifier, "tok"));
    }

    @Test
    void neverSendsATokenThatCannotBeAHeader() throws Exception {
        homeserver = new TestHomeserver();
        WhoamiTokenVerifier verifier = verifier("PT2S");
        assertInstanceOf(TokenResult.Unknown.class, verify(verifier, "a\r\nX-Injected: 1"));
        assertInstanceOf(TokenResult.Unknown.class, verify(verifier, ""));
        assertInstanceOf(TokenResult.Unknown.class, verify(verifier, "x".repeat(5000)));
        assertEquals(0, homeserver.requests());
    }

    @Test
    void refusesAHomeserverThatIsNotAnHttpUrl() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> new WhoamiConfig("ftp://example.org", null, null, null, null));
        assertEquals("homeserver", e.key());
        assertEquals("homeserver", assertThrows(InvalidSettingException.class,
                () -> new WhoamiConfig(null, null, null, null, null)).key());
        assertEquals("timeout", assertThrows(InvalidSettingException.class,
                () -> new WhoamiConfig("http://h", Duration.ofMillis(1), null, null, null)).key());
    }
}
