package dev.tern.credentials.fixed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tern.spi.Secret;
import dev.tern.spi.Subject;
import dev.tern.spi.TurnCredentials;
import dev.tern.credentials.TestContexts;
import dev.tern.spi.CredentialVerifier;
import dev.tern.spi.InvalidSettingException;
import dev.tern.spi.Verification;
import dev.tern.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StaticCredentialsTest {

    static final List<String> URIS = List.of("turn:turn.example.org:3478?transport=udp");
    static final Duration NO_CAP = Duration.ofSeconds(Long.MAX_VALUE);

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopScheduler() {
        scheduler.shutdownNow();
    }

    private StaticCredentialIssuer issuer(StaticCredentialsConfig config) {
        return StaticCredentialIssuer.create(config,
                TestContexts.with(new MutableClock(Instant.ofEpochMilli(1_700_000_000_000L)), scheduler, Path.of(".")));
    }

    private static StaticCredentialsConfig config(List<StaticUser> users) {
        return new StaticCredentialsConfig("matrix", Secret.of("fixed-password"), URIS, null, users);
    }

    @Test
    void handsEveryoneTheFixedUsernameAndPasswordLikeSynapse() {
        StaticCredentialIssuer issuer = issuer(config(null));

        TurnCredentials alice = issuer.issue(Subject.user("@alice:example.org"), NO_CAP);
        TurnCredentials guest = issuer.issue(Subject.guest("@42:example.org"), NO_CAP);

        assertEquals("matrix", alice.username());
        assertEquals("fixed-password", alice.password());
        assertEquals(URIS, alice.uris());
        assertEquals(Duration.ofHours(1), alice.ttl());
        assertEquals(alice, guest);
    }

    @Test
    void capsTheTtlAtWhatPolicyAllows() {
        TurnCredentials credentials = issuer(config(null)).issue(Subject.user("@alice:example.org"),
                Duration.ofMinutes(5));

        assertEquals(Duration.ofMinutes(5), credentials.ttl());
    }

    @Test
    void verifiesTheIssuedUserAndTheConfiguredUsersWithTheirLongTermKeys() throws Exception {
        CredentialVerifier verifier = issuer(config(List.of(new StaticUser("relay-bot", Secret.of("bot-pass")))))
                .verifier().orElseThrow();

        Verification.Accepted matrix = assertInstanceOf(Verification.Accepted.class,
                verifier.verify("matrix", "example.org"));
        Verification.Accepted bot = assertInstanceOf(Verification.Accepted.class,
                verifier.verify("relay-bot", "example.org"));

        assertEquals("matrix", matrix.userId());
        assertEquals(Optional.empty(), matrix.expiresAt());
        assertArrayEquals(MessageDigest.getInstance("MD5").digest(
                "relay-bot:example.org:bot-pass".getBytes(StandardCharsets.UTF_8)), bot.keys().get(0).md5());
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(
                "relay-bot:example.org:bot-pass".getBytes(StandardCharsets.UTF_8)), bot.keys().get(0).sha256());
    }

    @Test
    void derivesTheRfc5769LongTermKey() {
        CredentialVerifier verifier = issuer(new StaticCredentialsConfig("\u30de\u30c8\u30ea\u30c3\u30af\u30b9",
                Secret.of("TheMatrIX"), null, null, null)).verifier().orElseThrow();

        Verification.Accepted accepted = assertInstanceOf(Verification.Accepted.class,
                verifier.verify("\u30de\u30c8\u30ea\u30c3\u30af\u30b9", "example.org"));

        assertArrayEquals(java.util.HexFormat.of().parseHex("e8ca7ad59d5eb0518e312911d2dab2a9"),
                accepted.keys().get(0).md5());
    }

    @Test
    void answersUnknownForAnyOtherUser() {
        CredentialVerifier verifier = issuer(config(null)).verifier().orElseThrow();

        assertInstanceOf(Verification.Unknown.class, verifier.verify("mallory", "example.org"));
        assertInstanceOf(Verification.Unknown.class, verifier.verify("", "example.org"));
        assertInstanceOf(Verification.Malformed.class, verifier.verify(null, "example.org"));
        assertInstanceOf(Verification.Malformed.class, verifier.verify("x".repeat(10_000), "example.org"));
    }

    @Test
    void refusesAUsernameWithoutAPassword() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> new StaticCredentialsConfig("matrix", null, URIS, null, null));

        assertEquals("password", e.key());
    }

    @Test
    void refusesAMissingUsername() {
        assertEquals("username", assertThrows(InvalidSettingException.class,
                () -> new StaticCredentialsConfig(null, Secret.of("x"), URIS, null, null)).key());
    }

    @Test
    void refusesAUserGivenTwiceWithoutShowingPasswords() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> config(List.of(
                new StaticUser("bot", Secret.of("first-pw-value")), new StaticUser("bot", Secret.of("second-pw-value")))));

        assertEquals("users[1].username", e.key());
        assertFalse(e.getMessage().contains("pw-value"), e.getMessage());
    }

    @Test
    void refusesAnEmptyUserEntryAndABadUri() {
        assertEquals("users[0]", assertThrows(InvalidSettingException.class,
                () -> config(Arrays.asList((StaticUser) null))).key());
        assertEquals("uris[0]", assertThrows(InvalidSettingException.class,
                () -> new StaticCredentialsConfig("m", Secret.of("p"), List.of("turn://x"), null, null)).key());
    }

    @Test
    void hidesPasswordsInToString() {
        assertFalse(new StaticUser("bot", Secret.of("bot-pass")).toString().contains("bot-pass"));
    }
}
