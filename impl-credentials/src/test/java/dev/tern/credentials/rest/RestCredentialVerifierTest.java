package dev.tern.credentials.rest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.Secret;
import dev.tern.credentials.LongTermKeys;
import dev.tern.spi.MetricsRecorder;
import dev.tern.spi.Verification;
import dev.tern.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RestCredentialVerifierTest {

    static final String SECRET = "n0t-a-real-secret-but-long-enough";
    static final String OLD_SECRET = "the-previous-secret-still-valid";
    static final String USERNAME = "1700003600:@alice:example.org";
    static final String PASSWORD = "t4wLbkzkge2nvqZqWOeEnfsbDf0="; // openssl, see RestCredentialIssuerTest

    private final MutableClock clock = new MutableClock(Instant.ofEpochMilli(1_700_000_000_000L));

    private RestCredentialVerifier verifier(Duration skew, char separator, String... secrets) {
        List<Secret> list = java.util.Arrays.stream(secrets).map(Secret::of).toList();
        return new RestCredentialVerifier(new SecretRing(list, List.of(), false),
                new UsernameRules(separator, skew, Duration.ofDays(7)), clock, MetricsRecorder.NONE,
                new IssuedGuests(skew, clock));
    }

    private RestCredentialVerifier verifier(String... secrets) {
        return verifier(Duration.ofSeconds(30), ':', secrets);
    }

    private static byte[] digest(String algorithm, String text) throws Exception {
        return MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void returnsTheMd5AndSha256LongTermKeysOfTheRestPassword() throws Exception {
        Verification result = verifier(SECRET).verify(USERNAME, "example.org");

        Verification.Accepted accepted = assertInstanceOf(Verification.Accepted.class, result);
        assertEquals("@alice:example.org", accepted.userId());
        assertEquals(Optional.of(Instant.ofEpochSecond(1_700_003_600L)), accepted.expiresAt());
        assertEquals(1, accepted.keys().size());
        // printf '%s' "$USERNAME:example.org:$PASSWORD" | openssl dgst -md5 (and -sha256)
        assertArrayEquals(HexFormat.of().parseHex("f8f0db595d85a884859cd81ea206645f"), accepted.keys().get(0).md5());
        assertArrayEquals(HexFormat.of().parseHex("0e8a6462ed54af50fe1677f102c5e83cb2813bb96daf6ef9e1c0c219fed7fc31"),
                accepted.keys().get(0).sha256());
        assertArrayEquals(digest("MD5", USERNAME + ":example.org:" + PASSWORD), accepted.keys().get(0).md5());
    }

    @Test
    void offersOneKeyPerSecretWithTheSigningSecretFirst() {
        Verification.Accepted accepted = assertInstanceOf(Verification.Accepted.class,
                verifier(SECRET, OLD_SECRET).verify(USERNAME, "example.org"));

        assertEquals(2, accepted.keys().size());
        assertEquals(LongTermKeys.derive(USERNAME, "example.org", PASSWORD), accepted.keys().get(0));
        String oldPassword = TurnRestPassword.of(Secret.of(OLD_SECRET), USERNAME);
        assertEquals(LongTermKeys.derive(USERNAME, "example.org", oldPassword), accepted.keys().get(1));
    }

    @Test
    void matchesAPasswordFromTheOldSecretAfterRotation() {
        String oldPassword = TurnRestPassword.of(Secret.of(OLD_SECRET), USERNAME);
        Verification.Accepted accepted = assertInstanceOf(Verification.Accepted.class,
                verifier(SECRET, OLD_SECRET).verify(USERNAME, "example.org"));

        assertEquals(Optional.of(accepted.keys().get(1)), LongTermKeys.matching(accepted, "example.org", oldPassword));
        assertEquals(Optional.of(accepted.keys().get(0)), LongTermKeys.matching(accepted, "example.org", PASSWORD));
        assertEquals(Optional.empty(), LongTermKeys.matching(accepted, "example.org", "not-the-password"));
    }

    @Test
    void doesNotMatchAPasswordFromASecretThatWasRemoved() {
        String oldPassword = TurnRestPassword.of(Secret.of(OLD_SECRET), USERNAME);
        Verification.Accepted accepted = assertInstanceOf(Verification.Accepted.class,
                verifier(SECRET).verify(USERNAME, "example.org"));

        assertEquals(Optional.empty(), LongTermKeys.matching(accepted, "example.org", oldPassword));
    }

    @Test
    void acceptsUserThenTimestamp() {
        Verification.Accepted accepted = assertInstanceOf(Verification.Accepted.class,
                verifier(SECRET).verify("@alice:example.org:1700003600", "example.org"));

        assertEquals("@alice:example.org", accepted.userId());
        assertEquals(Optional.of(Instant.ofEpochSecond(1_700_003_600L)), accepted.expiresAt());
    }

    @Test
    void acceptsABareTimestamp() {
        Verification.Accepted accepted = assertInstanceOf(Verification.Accepted.class,
                verifier(SECRET).verify("1700003600", "example.org"));

        assertEquals("1700003600", accepted.userId());
    }

    @Test
    void acceptsCoturnStyleUsernamesWithoutAMatrixId() {
        Verification.Accepted accepted = assertInstanceOf(Verification.Accepted.class,
                verifier(SECRET).verify("1700003600:alice", "example.org"));

        assertEquals("alice", accepted.userId());
    }

    @Test
    void usesTheConfiguredSeparator() {
        RestCredentialVerifier dash = verifier(Duration.ofSeconds(30), '-', SECRET);

        Verification.Accepted accepted = assertInstanceOf(Verification.Accepted.class,
                dash.verify("1700003600-@alice:example.org", "example.org"));
        assertEquals("@alice:example.org", accepted.userId());
        assertInstanceOf(Verification.Malformed.class, dash.verify("@alice:example.org", "example.org"));
    }

    @Test
    void acceptsAUsernameUpToItsExpirySecond() {
        clock.set(Instant.ofEpochMilli(1_700_003_600_999L));

        assertInstanceOf(Verification.Accepted.class,
                verifier(Duration.ZERO, ':', SECRET).verify(USERNAME, "example.org"));
    }

    @Test
    void refusesAnExpiredUsernameWhenCoturnStrict() {
        clock.set(Instant.ofEpochMilli(1_700_003_601_000L));

        Verification.Expired expired = assertInstanceOf(Verification.Expired.class,
                verifier(Duration.ZERO, ':', SECRET).verify(USERNAME, "example.org"));
        assertEquals(Instant.ofEpochSecond(1_700_003_600L), expired.expiredAt());
    }

    @Test
    void acceptsAUsernameThatExpiredWithinTheClockSkew() {
        clock.set(Instant.ofEpochMilli(1_700_003_630_999L));

        assertInstanceOf(Verification.Accepted.class, verifier(SECRET).verify(USERNAME, "example.org"));
    }

    @Test
    void refusesAUsernameThatExpiredBeyondTheClockSkew() {
        clock.set(Instant.ofEpochMilli(1_700_003_631_000L));

        assertInstanceOf(Verification.Expired.class, verifier(SECRET).verify(USERNAME, "example.org"));
    }

    @Test
    void treatsTimestampZeroAsExpired() {
        assertInstanceOf(Verification.Expired.class, verifier(SECRET).verify("0:@alice:example.org", "r"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ":", "alice", "@alice:example.org", "abc:def", ":@alice:example.org",
        "1700003600:", ":1700003600", "-1700003600:@alice:example.org", "+1700003600:@alice:example.org",
        "17000036OO:@alice:example.org", "99999999999999999999999:@alice:example.org",
        "@alice:example.org:99999999999999999999999", "1700003600\u0000:@alice:example.org",
        "1700003600:@alice\n:example.org", "1700003600:\ud800@alice:example.org", "1700003600:@alice:example.org\udc00",
        "\uff11\uff17\uff10\uff10:@alice:example.org"})
    void refusesMalformedUsernamesWithAReason(String username) {
        Verification.Malformed malformed = assertInstanceOf(Verification.Malformed.class,
                verifier(SECRET).verify(username, "example.org"));
        assertFalse(malformed.reason().isBlank());
        assertFalse(malformed.reason().contains(SECRET));
    }

    @Test
    void refusesNullUsernameAndRealm() {
        assertInstanceOf(Verification.Malformed.class, verifier(SECRET).verify(null, "example.org"));
        assertInstanceOf(Verification.Malformed.class, verifier(SECRET).verify(USERNAME, null));
    }

    @Test
    void refusesATenKilobyteUsername() {
        String huge = "1700003600:@" + "a".repeat(10_000) + ":example.org";

        assertInstanceOf(Verification.Malformed.class, verifier(SECRET).verify(huge, "example.org"));
    }

    @Test
    void refusesAUsernameOver513BytesOnceEncoded() {
        String multiByte = "1700003600:@" + "\u00e9".repeat(260) + ":example.org"; // under 513 chars, over 513 bytes

        assertInstanceOf(Verification.Malformed.class, verifier(SECRET).verify(multiByte, "example.org"));
    }

    @Test
    void acceptsNonAsciiUserIdsAsUtf8() throws Exception {
        String username = "1700003600:@\u30de\u30c8\u30ea\u30c3\u30af\u30b9:example.org";
        Verification.Accepted accepted = assertInstanceOf(Verification.Accepted.class,
                verifier(SECRET).verify(username, "example.org"));

        String password = TurnRestPassword.of(Secret.of(SECRET), username);
        assertArrayEquals(digest("MD5", username + ":example.org:" + password), accepted.keys().get(0).md5());
    }

    @Test
    void neverThrowsForRandomInput() {
        RestCredentialVerifier verifier = verifier(SECRET, OLD_SECRET);
        Random random = new Random(20261123L);
        String alphabet = "0123456789:@-_.ab\u00e9\u30de\ufffd";
        for (int i = 0; i < 20_000; i++) {
            int length = random.nextInt(i % 100 == 0 ? 12_000 : 40);
            StringBuilder sb = new StringBuilder(length);
            for (int j = 0; j < length; j++) {
                sb.append(random.nextInt(4) == 0 ? (char) random.nextInt(0x10000)
                        : alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String username = sb.toString();
            Verification result = verifier.verify(username, random.nextBoolean() ? "example.org" : sb.toString());
            assertTrue(result != null, username);
            if (result instanceof Verification.Malformed m) {
                assertFalse(m.reason().contains(SECRET) || m.reason().contains(OLD_SECRET));
            }
        }
    }

    @Test
    void verifiesWithThePublicFactory() {
        RestCredentialVerifier verifier = RestCredentialVerifier.of(List.of(Secret.of(SECRET)), clock);

        assertInstanceOf(Verification.Accepted.class, verifier.verify(USERNAME, "example.org"));
    }
}
