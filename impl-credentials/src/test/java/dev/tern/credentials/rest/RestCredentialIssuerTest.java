package dev.tern.credentials.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.api.Secret;
import dev.tern.api.Subject;
import dev.tern.api.TurnCredentials;
import dev.tern.credentials.TestContexts;
import dev.tern.spi.Verification;
import dev.tern.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RestCredentialIssuerTest {

    static final String SECRET = "n0t-a-real-secret-but-long-enough";
    static final Duration NO_CAP = Duration.ofSeconds(Long.MAX_VALUE);
    static final List<String> URIS = List.of("turn:turn.example.org:3478?transport=udp",
            "turns:turn.example.org:443?transport=tcp");

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final MutableClock clock = new MutableClock(Instant.ofEpochMilli(1_700_000_000_123L));

    @AfterEach
    void stopScheduler() {
        scheduler.shutdownNow();
    }

    private RestCredentialIssuer issuer(RestCredentialsConfig config) {
        return RestCredentialIssuer.create(config, TestContexts.with(clock, scheduler, Path.of(".")));
    }

    private RestCredentialIssuer issuer(List<String> secrets, Integer cacheSize) {
        return issuer(RestCredentialsConfig.builder()
                .secrets(secrets.stream().map(Secret::of).toList())
                .uris(URIS)
                .cacheSize(cacheSize)
                .build());
    }

    /** Synapse's formula from PROTOCOL.md, written out independently of the code under test. */
    private static String synapsePassword(String secret, String username) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void issuesExactlyWhatSynapseIssuesForTheSameSecretUserAndTime() throws Exception {
        TurnCredentials credentials = issuer(List.of(SECRET), 0).issue(Subject.user("@alice:example.org"), NO_CAP);

        long expiry = (1_700_000_000_123L + 3_600_000L) / 1000;
        assertEquals(expiry + ":@alice:example.org", credentials.username());
        assertEquals(synapsePassword(SECRET, credentials.username()), credentials.password());
        assertEquals(Duration.ofSeconds(3600), credentials.ttl());
        assertEquals(URIS, credentials.uris());
    }

    @Test
    void matchesAPasswordComputedWithOpenssl() {
        // printf '%s' '1700003600:@alice:example.org' | openssl dgst -sha1 -hmac "$SECRET" -binary | base64
        TurnCredentials credentials = issuer(List.of(SECRET), 0).issue(Subject.user("@alice:example.org"), NO_CAP);

        assertEquals("1700003600:@alice:example.org", credentials.username());
        assertEquals("t4wLbkzkge2nvqZqWOeEnfsbDf0=", credentials.password());
    }

    @Test
    void usesTheGuestsOwnUserIdAsTheUserPart() {
        TurnCredentials credentials = issuer(List.of(SECRET), 0).issue(Subject.guest("@123:example.org"), NO_CAP);

        assertEquals("1700003600:@123:example.org", credentials.username());
        assertEquals("Cfp3V9ZndGCApKNFqePH3ox9L0o=", credentials.password());
    }

    @Test
    void itsVerifierKnowsWhichCredentialsWentToGuestsSoTheRelayCanApplyGuestPolicy() {
        for (int cacheSize : new int[] {0, 100}) {
            RestCredentialIssuer issuer = issuer(List.of(SECRET), cacheSize);
            TurnCredentials guest = issuer.issue(Subject.guest("@123:example.org"), NO_CAP);
            TurnCredentials again = issuer.issue(Subject.guest("@123:example.org"), NO_CAP);
            TurnCredentials user = issuer.issue(Subject.user("@alice:example.org"), NO_CAP);
            var verifier = issuer.verifier().orElseThrow();
            assertTrue(accepted(verifier.verify(guest.username(), "example.org")).guest(), "cache " + cacheSize);
            assertTrue(accepted(verifier.verify(again.username(), "example.org")).guest(), "cache " + cacheSize);
            assertFalse(accepted(verifier.verify(user.username(), "example.org")).guest(), "cache " + cacheSize);
            // The same user part signed elsewhere (another issuer with the secret): not known to be a guest.
            String elsewhere = (1_700_000_000L + 7200) + ":@123:example.org";
            assertFalse(accepted(verifier.verify(elsewhere, "example.org")).guest(), "cache " + cacheSize);
        }
    }

    @Test
    void forgetsAGuestsUsernameOnceItHasExpired() {
        IssuedGuests guests = new IssuedGuests(Duration.ofSeconds(30), clock);
        long expiry = clock.millis() / 1000 + 60;
        guests.remember("guest-name", expiry);
        clock.advance(Duration.ofSeconds(60 + 30));
        assertTrue(guests.contains("guest-name"), "still accepted within the skew allowance");
        clock.advance(Duration.ofSeconds(1));
        assertFalse(guests.contains("guest-name"));
    }

    private static Verification.Accepted accepted(Verification verification) {
        return assertInstanceOf(Verification.Accepted.class, verification);
    }

    @Test
    void signsWithTheFirstSecretOnly() throws Exception {
        TurnCredentials credentials = issuer(List.of(SECRET, "the-previous-secret-still-valid"), 0)
                .issue(Subject.user("@alice:example.org"), NO_CAP);

        assertEquals("t4wLbkzkge2nvqZqWOeEnfsbDf0=", credentials.password());
        assertNotEquals(synapsePassword("the-previous-secret-still-valid", credentials.username()),
                credentials.password());
    }

    @Test
    void usesTheConfiguredSeparatorAndLifetime() throws Exception {
        RestCredentialIssuer issuer = issuer(RestCredentialsConfig.builder()
                .secrets(List.of(Secret.of(SECRET)))
                .lifetime(Duration.ofDays(1))
                .uris(URIS)
                .separator("-")
                .cacheSize(0)
                .build());

        TurnCredentials credentials = issuer.issue(Subject.user("@alice:example.org"), NO_CAP);

        assertEquals((1_700_000_000_123L / 1000 + 86_400) + "-@alice:example.org", credentials.username());
        assertEquals(synapsePassword(SECRET, credentials.username()), credentials.password());
        assertEquals(Duration.ofDays(1), credentials.ttl());
    }

    @Test
    void capsTheLifetimeAtWhatPolicyAllows() {
        TurnCredentials credentials = issuer(List.of(SECRET), 0)
                .issue(Subject.user("@alice:example.org"), Duration.ofMinutes(10));

        assertEquals((1_700_000_000_123L + 600_000) / 1000 + ":@alice:example.org", credentials.username());
        assertEquals(Duration.ofMinutes(10), credentials.ttl());
    }

    @Test
    void refusesANonPositiveLifetimeCap() {
        RestCredentialIssuer issuer = issuer(List.of(SECRET), 0);

        assertThrows(IllegalArgumentException.class, () -> issuer.issue(Subject.user("@a:b.c"), Duration.ZERO));
    }

    @Test
    void givesTheSameCredentialsAgainWithinHalfTheLifetimeWithTheTtlThatIsLeft() {
        RestCredentialIssuer issuer = issuer(List.of(SECRET), 100);
        Subject alice = Subject.user("@alice:example.org");
        TurnCredentials first = issuer.issue(alice, NO_CAP);

        clock.advance(Duration.ofMinutes(29).plusSeconds(59));
        TurnCredentials again = issuer.issue(alice, NO_CAP);

        assertEquals(first.username(), again.username());
        assertEquals(first.password(), again.password());
        // 1700003600 - 1700001799.123 = 1800.877 s left
        assertEquals(Duration.ofSeconds(1800), again.ttl());
    }

    @Test
    void mintsNewCredentialsOnceHalfTheLifetimeHasPassed() {
        RestCredentialIssuer issuer = issuer(List.of(SECRET), 100);
        Subject alice = Subject.user("@alice:example.org");
        TurnCredentials first = issuer.issue(alice, NO_CAP);

        clock.advance(Duration.ofMinutes(30));
        TurnCredentials later = issuer.issue(alice, NO_CAP);

        assertNotEquals(first.username(), later.username());
        assertEquals(Duration.ofHours(1), later.ttl());
    }

    @Test
    void keepsOtherUsersAndOtherLifetimesApart() {
        RestCredentialIssuer issuer = issuer(List.of(SECRET), 100);

        TurnCredentials alice = issuer.issue(Subject.user("@alice:example.org"), NO_CAP);
        TurnCredentials bob = issuer.issue(Subject.user("@bob:example.org"), NO_CAP);
        TurnCredentials aliceCapped = issuer.issue(Subject.user("@alice:example.org"), Duration.ofMinutes(5));

        assertTrue(bob.username().endsWith(":@bob:example.org"));
        assertNotEquals(alice.username(), aliceCapped.username());
        assertEquals(Duration.ofMinutes(5), aliceCapped.ttl());
    }

    @Test
    void keepsNoMoreUsersThanTheCacheSize() {
        RestCredentialIssuer issuer = issuer(List.of(SECRET), 10);

        for (int i = 0; i < 100; i++) {
            issuer.issue(Subject.user("@user" + i + ":example.org"), NO_CAP);
        }

        assertTrue(issuer.cachedUsers() <= 10, "cache holds " + issuer.cachedUsers());
    }

    @Test
    void mintsEveryTimeWhenTheCacheIsOff() {
        RestCredentialIssuer issuer = issuer(List.of(SECRET), 0);
        Subject alice = Subject.user("@alice:example.org");
        TurnCredentials first = issuer.issue(alice, NO_CAP);

        clock.advance(Duration.ofSeconds(1));
        TurnCredentials second = issuer.issue(alice, NO_CAP);

        assertNotEquals(first.username(), second.username());
        assertEquals(0, issuer.cachedUsers());
    }

    @Test
    void offersItsOwnVerifierThatAcceptsWhatItIssued() {
        RestCredentialIssuer issuer = issuer(List.of(SECRET), 0);
        TurnCredentials credentials = issuer.issue(Subject.user("@alice:example.org"), NO_CAP);

        var verification = issuer.verifier().orElseThrow().verify(credentials.username(), "example.org");

        assertTrue(verification instanceof dev.tern.spi.Verification.Accepted accepted
                && accepted.userId().equals("@alice:example.org"), verification.toString());
    }
}
