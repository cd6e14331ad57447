package dev.tern.relay.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.credentials.LongTermKeys;
import dev.tern.relay.auth.AuthOutcome;
import dev.tern.relay.auth.FailedCheckLimiter;
import dev.tern.relay.auth.FailedCheckLog;
import dev.tern.relay.auth.LongTermAuthenticator;
import dev.tern.stun.MessageIntegrity;
import dev.tern.stun.PasswordAlgorithm;
import dev.tern.testing.stun.RfcVectors;
import dev.tern.stun.StunAttribute;
import dev.tern.stun.StunCredentials;
import dev.tern.stun.StunClass;
import dev.tern.stun.StunMessage;
import dev.tern.stun.StunMessageWriter;
import dev.tern.stun.StunMethod;
import dev.tern.stun.StunParse;
import dev.tern.stun.TransactionId;
import dev.tern.relay.nonce.NonceService;
import dev.tern.spi.LongTermKey;
import dev.tern.spi.Verification;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * RFC 8489 section 9.2.4: the integrity attribute and key of a response follow the request, for every
 * combination of PASSWORD-ALGORITHM(S) and integrity attribute, with the credentials of the RFC's test vectors
 * (RFC 5769 2.4 and RFC 8489 appendix B.1: user "マトリックス", realm "example.org", password "TheMatrIX").
 */
class ResponseIntegrityTest {

    private static final String USER = RfcVectors.USER;
    private static final String REALM = RfcVectors.REALM;
    private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.7", 40000);

    private static final LongTermKey KEY = LongTermKeys.derive(USER, REALM, RfcVectors.PASSWORD);

    private final NonceService nonces = new NonceService(new byte[32], Clock.systemUTC(), Duration.ofMinutes(10));
    private final LongTermAuthenticator authenticator = new LongTermAuthenticator(REALM,
            (username, realm) -> username.equals(USER)
                    ? new Verification.Accepted(username, USER, Optional.of(Instant.now().plusSeconds(60)), List.of(KEY),
                            false)
                    : new Verification.Unknown(),
            nonces, new FailedCheckLimiter(100, 100, Duration.ofSeconds(1), 100, System::nanoTime,
                    FailedCheckLog.warnings(dev.tern.guard.ClientLogThrottle.perMinute(java.time.Clock.systemUTC()))));

    private static StunMessage parse(byte[] bytes) {
        return assertInstanceOf(StunParse.Parsed.class, StunMessage.parse(Unpooled.wrappedBuffer(bytes))).message();
    }

    @Test
    void derivesTheRfcVectorKeysForMd5AndSha256() {
        assertEquals("e8ca7ad59d5eb0518e312911d2dab2a9", HexFormat.of().formatHex(KEY.md5()));
        StunMessage md5Request = parse(HexFormat.of().parseHex(RfcVectors.RFC5769_LONG_TERM));
        assertTrue(MessageIntegrity.verifySha1(md5Request, KEY.md5()));
        assertFalse(MessageIntegrity.verifySha1(md5Request, KEY.sha256()));
        StunMessage sha256Request = parse(HexFormat.of().parseHex(RfcVectors.RFC8489_SHA256));
        assertEquals(PasswordAlgorithm.SHA256.code(), sha256Request.attribute(StunAttribute.PASSWORD_ALGORITHM)
                .orElseThrow().getUnsignedShort(0));
        assertTrue(MessageIntegrity.verifySha256(sha256Request, KEY.sha256()));
        assertFalse(MessageIntegrity.verifySha256(sha256Request, KEY.md5()));
    }

    @Test
    void messageIntegrityAloneIsAnsweredWithMessageIntegrityUnderTheMd5Key() {
        assertAnswer(w -> { }, w -> w.integrity(KEY.md5()), StunAttribute.MESSAGE_INTEGRITY, KEY.md5());
    }

    @Test
    void sha256AttributeWithoutAlgorithmsIsAnsweredWithMessageIntegrityUnderTheMd5Key() {
        // Processed as though PASSWORD-ALGORITHM were MD5, so answered as RFC 5389 would be.
        assertAnswer(w -> { }, w -> w.integritySha256(KEY.md5()), StunAttribute.MESSAGE_INTEGRITY, KEY.md5());
    }

    @Test
    void bothAttributesWithoutAlgorithmsAreAnsweredWithMessageIntegrityUnderTheMd5Key() {
        assertAnswer(w -> { }, w -> w.integrity(KEY.md5()).integritySha256(KEY.md5()),
                StunAttribute.MESSAGE_INTEGRITY, KEY.md5());
    }

    @Test
    void md5AlgorithmWithSha256AttributeIsAnsweredWithSha256AttributeUnderTheMd5Key() {
        // What a strict RFC 8489 client sends: the first offered algorithm (MD5), MESSAGE-INTEGRITY-SHA256 only.
        assertAnswer(negotiating(PasswordAlgorithm.MD5), w -> w.integritySha256(KEY.md5()),
                StunAttribute.MESSAGE_INTEGRITY_SHA256, KEY.md5());
    }

    @Test
    void sha256AlgorithmWithSha256AttributeIsAnsweredWithSha256AttributeUnderTheSha256Key() {
        assertAnswer(negotiating(PasswordAlgorithm.SHA256), w -> w.integritySha256(KEY.sha256()),
                StunAttribute.MESSAGE_INTEGRITY_SHA256, KEY.sha256());
    }

    @Test
    void negotiatedAlgorithmWithMessageIntegrityIsAnsweredWithSha256AttributeUnderThatKey() {
        // "Any response ... MUST include the MESSAGE-INTEGRITY-SHA256 attribute" once an algorithm was negotiated.
        assertAnswer(negotiating(PasswordAlgorithm.MD5), w -> w.integrity(KEY.md5()),
                StunAttribute.MESSAGE_INTEGRITY_SHA256, KEY.md5());
        assertAnswer(negotiating(PasswordAlgorithm.SHA256), w -> w.integrity(KEY.sha256()),
                StunAttribute.MESSAGE_INTEGRITY_SHA256, KEY.sha256());
    }

    @Test
    void anAlgorithmSignedWithTheOtherAlgorithmsKeyIsRefused() {
        assertRefused(negotiating(PasswordAlgorithm.MD5), w -> w.integritySha256(KEY.sha256()), 401);
        assertRefused(negotiating(PasswordAlgorithm.SHA256), w -> w.integritySha256(KEY.md5()), 401);
    }

    @Test
    void anAlgorithmWithoutTheEchoedListIsRefusedWith400() {
        assertRefused(w -> w.passwordAlgorithm(PasswordAlgorithm.MD5.code()), w -> w.integritySha256(KEY.md5()), 400);
        assertRefused(w -> w.passwordAlgorithm(PasswordAlgorithm.SHA256.code()),
                w -> w.integritySha256(KEY.sha256()), 400);
    }

    @Test
    void theEchoedListWithoutAnAlgorithmIsRefusedWith400() {
        assertRefused(StunMessageWriter::passwordAlgorithms, w -> w.integritySha256(KEY.md5()), 400);
        assertRefused(StunMessageWriter::passwordAlgorithms, w -> w.integrity(KEY.md5()), 400);
    }

    @Test
    void aChangedListOrAnUnofferedAlgorithmIsRefusedWith400() {
        byte[] sha256First = {0, 2, 0, 0, 0, 1, 0, 0};
        assertRefused(w -> w.bytes(StunAttribute.PASSWORD_ALGORITHMS, sha256First)
                .passwordAlgorithm(PasswordAlgorithm.SHA256.code()), w -> w.integritySha256(KEY.sha256()), 400);
        assertRefused(w -> w.passwordAlgorithms().passwordAlgorithm(3), w -> w.integritySha256(KEY.sha256()), 400);
    }

    private static Consumer<StunMessageWriter> negotiating(PasswordAlgorithm algorithm) {
        return w -> w.passwordAlgorithms().passwordAlgorithm(algorithm.code());
    }

    private StunMessage request(Consumer<StunMessageWriter> algorithms, Consumer<StunMessageWriter> integrity) {
        StunMessageWriter w = StunMessageWriter.start(Unpooled.buffer(), StunMethod.ALLOCATE, StunClass.REQUEST,
                TransactionId.random());
        w.u8Padded(StunAttribute.REQUESTED_TRANSPORT, StunAttribute.TRANSPORT_UDP)
                .string(StunAttribute.USERNAME, USER).string(StunAttribute.REALM, REALM)
                .string(StunAttribute.NONCE, authenticator.nonceFor(CLIENT));
        algorithms.accept(w);
        integrity.accept(w);
        return parse(ByteBufUtil.getBytes(w.finish()));
    }

    /**
     * Authenticates the request, signs a success response the way {@link Responder} does, and checks it as a
     * strict client would: exactly the expected integrity attribute, matching under the expected key only.
     */
    private void assertAnswer(Consumer<StunMessageWriter> algorithms, Consumer<StunMessageWriter> integrity,
            int expectedAttribute, byte[] expectedKey) {
        StunMessage req = request(algorithms, integrity);
        AuthOutcome.Authenticated ok = assertInstanceOf(AuthOutcome.Authenticated.class,
                authenticator.authenticate(StunCredentials.of(req), CLIENT));
        assertArrayEquals(expectedKey, ok.keyBytes());
        StunMessageWriter w = StunMessageWriter.start(Unpooled.buffer(), req.method(), StunClass.SUCCESS_RESPONSE,
                req.transactionId()).xorAddress(StunAttribute.XOR_MAPPED_ADDRESS, CLIENT);
        RequestAuthentication.signing(ok).sign(w);
        StunMessage response = parse(ByteBufUtil.getBytes(w.finish()));

        byte[] otherKey = expectedKey.length == 16 ? KEY.sha256() : KEY.md5();
        if (expectedAttribute == StunAttribute.MESSAGE_INTEGRITY) {
            assertFalse(response.has(StunAttribute.MESSAGE_INTEGRITY_SHA256), "no MESSAGE-INTEGRITY-SHA256");
            assertTrue(MessageIntegrity.verifySha1(response, expectedKey), "MESSAGE-INTEGRITY under the expected key");
            assertFalse(MessageIntegrity.verifySha1(response, otherKey));
        } else {
            assertFalse(response.has(StunAttribute.MESSAGE_INTEGRITY), "no MESSAGE-INTEGRITY");
            assertTrue(MessageIntegrity.verifySha256(response, expectedKey),
                    "MESSAGE-INTEGRITY-SHA256 under the expected key");
            assertFalse(MessageIntegrity.verifySha256(response, otherKey));
        }
    }

    private void assertRefused(Consumer<StunMessageWriter> algorithms, Consumer<StunMessageWriter> integrity,
            int code) {
        AuthOutcome.Refused refused = assertInstanceOf(AuthOutcome.Refused.class,
                authenticator.authenticate(StunCredentials.of(request(algorithms, integrity)), CLIENT));
        assertEquals(code, refused.code());
    }
}
