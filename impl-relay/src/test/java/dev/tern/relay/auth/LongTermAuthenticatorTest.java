package dev.tern.relay.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.stun.StunAttribute;
import dev.tern.stun.StunCredentials;
import dev.tern.stun.StunClass;
import dev.tern.stun.StunMessage;
import dev.tern.stun.StunMessageWriter;
import dev.tern.stun.StunMethod;
import dev.tern.stun.StunParse;
import dev.tern.stun.TransactionId;
import dev.tern.relay.nonce.NonceService;
import dev.tern.spi.CredentialVerifier;
import dev.tern.spi.LongTermKey;
import dev.tern.spi.RelayListener.AuthFailure;
import dev.tern.spi.Verification;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** RFC 8489 long-term credentials: MD5 and SHA-256 keys, rotated secrets, downgrade refusal. */
class LongTermAuthenticatorTest {

    private static final String REALM = "tern.test";
    private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.7", 40000);
    private final NonceService nonces = new NonceService(new byte[32], Clock.systemUTC(), Duration.ofMinutes(10));

    private static LongTermKey key(String password) throws Exception {
        String text = "alice:" + REALM + ":" + password;
        return new LongTermKey(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)),
                MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** A verifier knowing "alice" with a key per secret, the current one first (as during rotation). */
    private static CredentialVerifier verifier(LongTermKey... keys) {
        return (username, realm) -> username.equals("alice")
                ? new Verification.Accepted(username, "@alice:tern.test", Optional.of(Instant.now().plusSeconds(60)),
                        List.of(keys), false)
                : new Verification.Unknown();
    }

    private LongTermAuthenticator authenticator(String realm, CredentialVerifier verifier) {
        return new LongTermAuthenticator(realm, verifier, nonces, new FailedCheckLimiter(100, 100,
                Duration.ofSeconds(1), 1000, System::nanoTime, FailedCheckLog.warnings(
                        dev.tern.guard.ClientLogThrottle.perMinute(java.time.Clock.systemUTC()))));
    }

    private StunMessage request(String nonce, Consumer<StunMessageWriter> extra, Consumer<StunMessageWriter> mac) {
        ByteBuf out = Unpooled.buffer();
        StunMessageWriter w = StunMessageWriter.start(out, StunMethod.ALLOCATE, StunClass.REQUEST,
                TransactionId.random());
        w.string(StunAttribute.USERNAME, "alice").string(StunAttribute.REALM, REALM)
                .string(StunAttribute.NONCE, nonce);
        extra.accept(w);
        mac.accept(w);
        return ((StunParse.Parsed) StunMessage.parse(w.finish())).message();
    }

    @Test
    void acceptsTheMd5KeyOfAnyRotatedSecretAndSaysWhichMatched() throws Exception {
        LongTermKey current = key("new-password");
        LongTermKey previous = key("old-password");
        LongTermAuthenticator auth = authenticator(REALM, verifier(current, previous));
        String nonce = auth.nonceFor(CLIENT);
        AuthOutcome outcome = auth.authenticate(
                StunCredentials.of(request(nonce, w -> { }, w -> w.integrity(previous.md5()))), CLIENT);
        AuthOutcome.Authenticated ok = assertInstanceOf(AuthOutcome.Authenticated.class, outcome);
        assertEquals(previous, ok.key());
        assertArrayEquals(previous.md5(), ok.keyBytes());
        assertEquals("@alice:tern.test", ok.credentials().userId());
    }

    @Test
    void acceptsSha256WhenNegotiatedThroughThePasswordAlgorithms() throws Exception {
        LongTermKey k = key("secret");
        LongTermAuthenticator auth = authenticator(REALM, verifier(k));
        String nonce = auth.nonceFor(CLIENT);
        assertTrue(LongTermAuthenticator.offersSecurityFeatures(nonce));
        StunMessage m = request(nonce, w -> w.passwordAlgorithms().passwordAlgorithm(StunAttribute.ALGORITHM_SHA256),
                w -> w.integritySha256(k.sha256()));
        AuthOutcome.Authenticated ok = assertInstanceOf(AuthOutcome.Authenticated.class,
                auth.authenticate(StunCredentials.of(m), CLIENT));
        assertTrue(ok.sha256Key());
        assertTrue(ok.sha256Integrity());
        assertArrayEquals(k.sha256(), ok.keyBytes());
    }

    @Test
    void refusesAnAlgorithmWithoutTheOfferedListAsADowngrade() throws Exception {
        LongTermKey k = key("secret");
        LongTermAuthenticator auth = authenticator(REALM, verifier(k));
        StunMessage m = request(auth.nonceFor(CLIENT), w -> w.passwordAlgorithm(StunAttribute.ALGORITHM_MD5),
                w -> w.integrity(k.md5()));
        assertEquals(400, assertInstanceOf(AuthOutcome.Refused.class,
                auth.authenticate(StunCredentials.of(m), CLIENT)).code());
    }

    @Test
    void refusesWrongKeysUnknownUsersForeignNoncesAndOtherRealms() throws Exception {
        LongTermKey k = key("secret");
        LongTermAuthenticator auth = authenticator(REALM, verifier(k));
        String nonce = auth.nonceFor(CLIENT);
        byte[] guess = key("guess").md5();
        AuthOutcome.Refused wrongKey = assertInstanceOf(AuthOutcome.Refused.class,
                auth.authenticate(StunCredentials.of(request(nonce, w -> { }, w -> w.integrity(guess))), CLIENT));
        assertEquals(401, wrongKey.code());
        assertEquals(Optional.of(AuthFailure.BAD_INTEGRITY), wrongKey.failure());

        String otherClientsNonce = auth.nonceFor(new InetSocketAddress("192.0.2.8", 40000));
        AuthOutcome.Refused foreign = assertInstanceOf(AuthOutcome.Refused.class,
                auth.authenticate(StunCredentials.of(request(otherClientsNonce, w -> { }, w -> w.integrity(k.md5()))),
                        CLIENT));
        assertEquals(438, foreign.code());
        assertTrue(foreign.challenge());

        LongTermAuthenticator otherRealm = authenticator("elsewhere", verifier(k));
        assertEquals(401, assertInstanceOf(AuthOutcome.Refused.class,
                otherRealm.authenticate(StunCredentials.of(request(nonce, w -> { }, w -> w.integrity(k.md5()))),
                        CLIENT)).code());

        ByteBuf noCredentials = StunMessageWriter.start(Unpooled.buffer(), StunMethod.ALLOCATE, StunClass.REQUEST,
                TransactionId.random()).finish();
        AuthOutcome.Refused missing = assertInstanceOf(AuthOutcome.Refused.class,
                auth.authenticate(StunCredentials.of(((StunParse.Parsed) StunMessage.parse(noCredentials)).message()), CLIENT));
        assertEquals(401, missing.code());
        assertEquals(Optional.of(AuthFailure.MISSING_CREDENTIALS), missing.failure());
    }
}
