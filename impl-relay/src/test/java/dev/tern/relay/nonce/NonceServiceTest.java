package dev.tern.relay.nonce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.relay.nonce.NonceService.Check;
import dev.tern.testing.MutableClock;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NonceServiceTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final InetSocketAddress ALICE = new InetSocketAddress("192.0.2.10", 50000);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    private final NonceService nonces = new NonceService(KEY, clock, Duration.ofMinutes(10));

    @Test
    void acceptsItsOwnFreshNonce() {
        assertEquals(Check.VALID, nonces.check(nonces.issue(ALICE, false), ALICE));
        assertEquals(Check.VALID, nonces.check(nonces.issue(ALICE, true), ALICE));
    }

    @Test
    void nonceIsPrintableQuotedStringSafeAndShort() {
        for (boolean offer : new boolean[] {false, true}) {
            String nonce = nonces.issue(ALICE, offer);
            assertTrue(nonce.length() < 128, nonce);
            assertTrue(nonce.chars().allMatch(c -> c > 0x20 && c < 0x7F && c != '"' && c != '\\'), nonce);
        }
    }

    @Test
    void offeringSecurityFeaturesStartsWithCookieAndPasswordAlgorithmsBit() {
        String nonce = nonces.issue(ALICE, true);
        assertTrue(nonce.startsWith("obMatJos2AAAB"), nonce);
        assertTrue(NonceService.offersSecurityFeatures(nonce));
        assertFalse(NonceService.offersSecurityFeatures(nonces.issue(ALICE, false)));
    }

    @Test
    void readsTheFeatureBitFromOtherServersNonces() {
        assertTrue(NonceService.offersSecurityFeatures("obMatJos2gAAAxyz"), "bit 0 as most significant");
        assertFalse(NonceService.offersSecurityFeatures("obMatJos2AAACf//499k954d6OL34oL9FSTvy64sA"),
                "RFC 8489 B.1 nonce sets only username anonymity");
        assertFalse(NonceService.offersSecurityFeatures("obMatJos2"));
        assertFalse(NonceService.offersSecurityFeatures("obMatJos2*AAA"));
        assertFalse(NonceService.offersSecurityFeatures(null));
    }

    @Test
    void staysValidUntilTheLifetimeThenIsStale() {
        String nonce = nonces.issue(ALICE, true);
        clock.advance(Duration.ofMinutes(10));
        assertEquals(Check.VALID, nonces.check(nonce, ALICE));
        clock.advance(Duration.ofMillis(1));
        assertEquals(Check.STALE, nonces.check(nonce, ALICE));
    }

    @Test
    void refusesNonceOfAnotherClientAddressOrPort() {
        String nonce = nonces.issue(ALICE, false);
        assertEquals(Check.INVALID, nonces.check(nonce, new InetSocketAddress("192.0.2.11", 50000)));
        assertEquals(Check.INVALID, nonces.check(nonce, new InetSocketAddress("192.0.2.10", 50001)));
        assertEquals(Check.INVALID, nonces.check(nonce, new InetSocketAddress("2001:db8::10", 50000)));
    }

    @Test
    void refusesStaleLookingForgeryAsInvalidNotStale() {
        clock.advance(Duration.ofHours(-2));
        String old = nonces.issue(ALICE, false);
        clock.advance(Duration.ofHours(2));
        assertEquals(Check.STALE, nonces.check(old, ALICE));
        char[] tampered = old.toCharArray();
        tampered[tampered.length - 1] = tampered[tampered.length - 1] == 'A' ? 'B' : 'A';
        assertEquals(Check.INVALID, nonces.check(new String(tampered), ALICE));
    }

    @Test
    void refusesNonceFromAServerWithAnotherKey() {
        NonceService other = new NonceService("another key, 16 bytes or more".getBytes(StandardCharsets.US_ASCII),
                clock, Duration.ofMinutes(10));
        assertEquals(Check.INVALID, nonces.check(other.issue(ALICE, true), ALICE));
    }

    @Test
    void acceptsNonceFromAFleetMemberSharingTheKey() {
        NonceService sibling = new NonceService(KEY, clock, Duration.ofMinutes(10));
        assertEquals(Check.VALID, nonces.check(sibling.issue(ALICE, true), ALICE));
    }

    @Test
    void strippingTheCookieInvalidatesTheNonce() {
        String nonce = nonces.issue(ALICE, true);
        assertEquals(Check.INVALID, nonces.check(nonce.substring(13), ALICE));
        String plain = nonces.issue(ALICE, false);
        assertEquals(Check.INVALID, nonces.check("obMatJos2AAAB" + plain, ALICE));
    }

    @Test
    void refusesNonceIssuedFarInTheFuture() {
        clock.advance(Duration.ofHours(1));
        String future = nonces.issue(ALICE, false);
        clock.advance(Duration.ofHours(-1));
        assertEquals(Check.INVALID, nonces.check(future, ALICE));
    }

    @Test
    void garbageOfAnySizeIsInvalidNeverAnException() {
        Random random = new Random(42);
        String valid = nonces.issue(ALICE, true);
        for (int length : new int[] {0, 1, 12, 13, 31, 32, 33, 44, 45, 46, 127, 763, 100_000}) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < length; i++) {
                s.append((char) random.nextInt(0x3000));
            }
            assertEquals(Check.INVALID, nonces.check(s.toString(), ALICE), "length " + length);
            StringBuilder b64 = new StringBuilder();
            for (int i = 0; i < length; i++) {
                b64.append("ABCxyz019-_".charAt(random.nextInt(11)));
            }
            assertEquals(Check.INVALID, nonces.check(b64.toString(), ALICE), "base64 length " + length);
        }
        assertEquals(Check.INVALID, nonces.check(valid.replace('A', '='), ALICE));
        assertEquals(Check.INVALID, nonces.check(null, ALICE));
        assertEquals(Check.INVALID, nonces.check(valid, null));
        assertEquals(Check.INVALID, nonces.check(valid, InetSocketAddress.createUnresolved("example.org", 1)));
    }

    @Test
    void successiveNoncesDiffer() {
        String first = nonces.issue(ALICE, false);
        clock.advance(Duration.ofMillis(1));
        assertNotEquals(first, nonces.issue(ALICE, false));
    }

    @Test
    void rejectsShortKeyAndNonPositiveLifetime() {
        assertThrows(IllegalArgumentException.class, () -> new NonceService(new byte[15], clock, Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class, () -> new NonceService(KEY, clock, Duration.ZERO));
    }
}
