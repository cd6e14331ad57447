package dev.tern.stun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.testing.stun.RfcVectors;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StunCodecTest {

    private static final String RFC5769_REQUEST = "000100582112a442b7e7a701bc34d686fa87dfae802200105354554e2074"
            + "65737420636c69656e74002400046e0001ff80290008932ff9b151263b36000600096576746a3a68367659202020000800"
            + "149aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a280280004e57a3bcf";
    private static final String RFC5769_IPV4_RESPONSE = "0101003c2112a442b7e7a701bc34d686fa87dfae8022000b746573742076"
            + "6563746f7220002000080001a147e112a643000800142b91f599fd9e90c38c7489f92af9ba53f06be7d780280004c07d4c96";
    private static final String RFC5769_IPV6_RESPONSE = "010100482112a442b7e7a701bc34d686fa87dfae8022000b746573742076"
            + "6563746f7220002000140002a1470113a9faa5d3f179bc25f4b5bed2b9d900080014a382954e4be67bf11784c97c8292c27"
            + "5bfe3ed4180280004c8fb0b4c";
    private static final String RFC5769_LONG_TERM = RfcVectors.RFC5769_LONG_TERM;
    private static final String RFC8489_SHA256 = RfcVectors.RFC8489_SHA256;
    private static final byte[] SHORT_TERM = "VOkJxbRl1RmTxUk/WvJxBt".getBytes(StandardCharsets.UTF_8);

    private static ByteBuf hex(String hex) {
        return Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex));
    }

    private static StunMessage parsed(ByteBuf buf) {
        return assertInstanceOf(StunParse.Parsed.class, StunMessage.parse(buf)).message();
    }

    @Test
    void verifiesRfc5769ShortTermRequestIntegrityAndFingerprint() {
        StunMessage m = parsed(hex(RFC5769_REQUEST));
        assertEquals(StunMethod.BINDING, m.method());
        assertEquals(StunClass.REQUEST, m.messageClass());
        assertEquals("evtj:h6vY", m.string(StunAttribute.USERNAME).orElseThrow());
        assertTrue(MessageIntegrity.verifySha1(m, SHORT_TERM));
        assertFalse(MessageIntegrity.verifySha1(m, "wrong".getBytes(StandardCharsets.UTF_8)));
        assertTrue(Fingerprint.matches(m));
    }

    @Test
    void decodesRfc5769Ipv4ResponseMappedAddress() throws Exception {
        StunMessage m = parsed(hex(RFC5769_IPV4_RESPONSE));
        assertEquals(StunClass.SUCCESS_RESPONSE, m.messageClass());
        InetSocketAddress mapped = XorAddress.decode(m.attribute(StunAttribute.XOR_MAPPED_ADDRESS).orElseThrow(),
                m.transactionId()).orElseThrow();
        assertEquals(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853), mapped);
        assertTrue(MessageIntegrity.verifySha1(m, SHORT_TERM));
        assertTrue(Fingerprint.matches(m));
    }

    @Test
    void decodesRfc5769Ipv6ResponseMappedAddress() throws Exception {
        StunMessage m = parsed(hex(RFC5769_IPV6_RESPONSE));
        InetSocketAddress mapped = XorAddress.decode(m.attribute(StunAttribute.XOR_MAPPED_ADDRESS).orElseThrow(),
                m.transactionId()).orElseThrow();
        assertEquals(new InetSocketAddress(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853),
                mapped);
        assertTrue(MessageIntegrity.verifySha1(m, SHORT_TERM));
        assertTrue(Fingerprint.matches(m));
    }

    @Test
    void verifiesRfc5769LongTermRequestWithMd5Key() throws Exception {
        StunMessage m = parsed(hex(RFC5769_LONG_TERM));
        assertEquals("マトリックス", m.string(StunAttribute.USERNAME).orElseThrow());
        assertEquals("example.org", m.string(StunAttribute.REALM).orElseThrow());
        byte[] key = MessageDigest.getInstance("MD5")
                .digest("マトリックス:example.org:TheMatrIX".getBytes(StandardCharsets.UTF_8));
        assertEquals("e8ca7ad59d5eb0518e312911d2dab2a9", HexFormat.of().formatHex(key));
        assertTrue(MessageIntegrity.verifySha1(m, key));
        assertFalse(Fingerprint.present(m));
    }

    @Test
    void verifiesRfc8489Sha256RequestWithUserhash() throws Exception {
        StunMessage m = parsed(hex(RFC8489_SHA256));
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] userhash = sha.digest("マトリックス:example.org".getBytes(StandardCharsets.UTF_8));
        assertEquals("4a3cf38fef6992bda952c6780417da0f24819415569e60b205c46e41407f1704",
                HexFormat.of().formatHex(userhash));
        assertEquals(ByteBufUtil.hexDump(Unpooled.wrappedBuffer(userhash)),
                ByteBufUtil.hexDump(m.attribute(StunAttribute.USERHASH).orElseThrow()));
        assertEquals("obMatJos2AAACf//499k954d6OL34oL9FSTvy64sA", m.string(StunAttribute.NONCE).orElseThrow());
        assertEquals(StunAttribute.ALGORITHM_SHA256,
                m.attribute(StunAttribute.PASSWORD_ALGORITHM).orElseThrow().getUnsignedShort(0));
        byte[] key = sha.digest("マトリックス:example.org:TheMatrIX".getBytes(StandardCharsets.UTF_8));
        assertTrue(MessageIntegrity.verifySha256(m, key));
        assertFalse(MessageIntegrity.verifySha256(m, new byte[32]));
    }

    @Test
    void writerRoundTripsEveryAttributeKind() throws Exception {
        TransactionId tid = TransactionId.random();
        byte[] key = new byte[16];
        byte[] key256 = new byte[32];
        new Random(1).nextBytes(key);
        InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("203.0.113.7"), 50000);
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 3478);
        ByteBuf out = StunMessageWriter.start(Unpooled.buffer(), StunMethod.ALLOCATE, StunClass.ERROR_RESPONSE, tid)
                .errorCode(438, "Stale Nonce")
                .string(StunAttribute.REALM, "tern.test")
                .u32(StunAttribute.LIFETIME, 600)
                .u8Padded(StunAttribute.REQUESTED_TRANSPORT, StunAttribute.TRANSPORT_UDP)
                .xorAddress(StunAttribute.XOR_PEER_ADDRESS, v4)
                .xorAddress(StunAttribute.XOR_RELAYED_ADDRESS, v6)
                .flag(StunAttribute.DONT_FRAGMENT)
                .unknownAttributes(List.of(0x7777, 0x0042, 0x0043))
                .passwordAlgorithms()
                .integrity(key)
                .integritySha256(key256)
                .fingerprint()
                .finish();
        try {
            StunMessage m = parsed(out);
            assertEquals(tid, m.transactionId());
            assertEquals(StunMethod.ALLOCATE, m.method());
            assertEquals(StunClass.ERROR_RESPONSE, m.messageClass());
            ByteBuf error = m.attribute(StunAttribute.ERROR_CODE).orElseThrow();
            assertEquals(438, error.getByte(2) * 100 + error.getByte(3));
            assertEquals("tern.test", m.string(StunAttribute.REALM).orElseThrow());
            assertEquals(600, m.u32(StunAttribute.LIFETIME));
            assertEquals(v4, XorAddress.decode(m.attribute(StunAttribute.XOR_PEER_ADDRESS).orElseThrow(), tid)
                    .orElseThrow());
            assertEquals(v6, XorAddress.decode(m.attribute(StunAttribute.XOR_RELAYED_ADDRESS).orElseThrow(), tid)
                    .orElseThrow());
            assertTrue(m.has(StunAttribute.DONT_FRAGMENT));
            assertTrue(MessageIntegrity.verifySha1(m, key));
            assertTrue(MessageIntegrity.verifySha256(m, key256));
            assertTrue(Fingerprint.matches(m));
        } finally {
            out.release();
        }
    }

    @Test
    void reportsUnknownComprehensionRequiredAttributesOnce() {
        ByteBuf out = StunMessageWriter.start(Unpooled.buffer(), StunMethod.BINDING, StunClass.REQUEST,
                TransactionId.random())
                .u32(0x7F01, 1).u32(0x7F01, 2).u32(0xC001, 3).string(StunAttribute.SOFTWARE, "x").finish();
        StunMessage m = parsed(out);
        assertEquals(List.of(0x7F01), m.unknownComprehensionRequired(t -> t == StunAttribute.SOFTWARE));
    }

    @Test
    void ignoresAttributesBetweenIntegrityAndFingerprint() {
        TransactionId tid = TransactionId.random();
        ByteBuf out = StunMessageWriter.start(Unpooled.buffer(), StunMethod.BINDING, StunClass.REQUEST, tid)
                .integrity(new byte[16]).u32(0x7F01, 1).finish();
        StunMessage m = parsed(out);
        assertFalse(m.has(0x7F01));
        assertTrue(m.unknownComprehensionRequired(t -> t == StunAttribute.MESSAGE_INTEGRITY).isEmpty());
    }

    @Test
    void refusesMalformedHeaders() {
        assertMalformed("", "shorter");
        assertMalformed("0001000021 12a442".replace(" ", "") + "000000000000000000000000".substring(0, 22), "shorter");
        assertMalformed("c0010000" + "2112a442" + "000000000000000000000000", "first two bits");
        assertMalformed("00010002" + "2112a442" + "000000000000000000000000", "multiple of 4");
        assertMalformed("00010000" + "deadbeef" + "000000000000000000000000", "magic cookie");
        assertMalformed("00010008" + "2112a442" + "000000000000000000000000", "does not match");
        assertMalformed("00010004" + "2112a442" + "000000000000000000000000" + "00060008", "past the end");
        assertMalformed("0001000c" + "2112a442" + "000000000000000000000000" + "8028000400000000" + "00060000",
                "after FINGERPRINT");
        assertMalformed("00010008" + "2112a442" + "000000000000000000000000" + "0008000400000000", "MESSAGE-INTEGRITY");
    }

    private static void assertMalformed(String hex, String reasonPart) {
        StunParse result = StunMessage.parse(Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex)));
        StunParse.Malformed malformed = assertInstanceOf(StunParse.Malformed.class, result, hex);
        assertTrue(malformed.reason().contains(reasonPart), malformed.reason());
    }

    @Test
    void neverThrowsOnRandomOrMutatedInput() {
        Random random = new Random(42);
        byte[] valid = HexFormat.of().parseHex(RFC5769_REQUEST);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes;
            if (i % 2 == 0) {
                bytes = new byte[random.nextInt(120)];
                random.nextBytes(bytes);
                if (bytes.length >= 8) {
                    bytes[0] &= 0x3F;
                    bytes[4] = 0x21;
                    bytes[5] = 0x12;
                    bytes[6] = (byte) 0xa4;
                    bytes[7] = 0x42;
                }
            } else {
                bytes = valid.clone();
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt();
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt();
            }
            StunParse result = StunMessage.parse(Unpooled.wrappedBuffer(bytes));
            if (result instanceof StunParse.Parsed p) {
                StunMessage m = p.message();
                m.string(StunAttribute.USERNAME);
                m.attribute(StunAttribute.XOR_PEER_ADDRESS).flatMap(v -> XorAddress.decode(v, m.transactionId()));
                MessageIntegrity.verifySha1(m, SHORT_TERM);
                Fingerprint.matches(m);
            }
        }
    }

    @Test
    void detectsChannelDataByFirstByte() {
        ByteBuf buf = Unpooled.buffer();
        buf.writeShort(0x4001).writeShort(3).writeBytes(new byte[] {1, 2, 3, 0});
        assertTrue(ChannelData.looksLikeChannelData(buf));
        assertEquals(0x4001, ChannelData.channel(buf));
        assertEquals(3, ChannelData.dataLength(buf));
        buf.setShort(2, 9);
        assertEquals(-1, ChannelData.dataLength(buf));
        assertTrue(ChannelNumbers.COTURN.accepts(0x5000));
        assertFalse(ChannelNumbers.RFC.accepts(0x5000));
        assertTrue(ChannelNumbers.RFC.accepts(0x4FFF));
        assertFalse(ChannelNumbers.COTURN.accepts(0x8000));
        assertFalse(ChannelNumbers.RFC.accepts(0x3FFF));
        assertFalse(StunMessage.looksLikeStun(buf));
    }

    @Test
    void encodesMessageTypeBitsForEveryClass() {
        assertEquals(0x0001, StunClass.REQUEST.messageType(StunMethod.BINDING));
        assertEquals(0x0101, StunClass.SUCCESS_RESPONSE.messageType(StunMethod.BINDING));
        assertEquals(0x0113, StunClass.ERROR_RESPONSE.messageType(StunMethod.ALLOCATE));
        assertEquals(0x0016, StunClass.INDICATION.messageType(StunMethod.SEND));
        assertEquals(0x0017, StunClass.INDICATION.messageType(StunMethod.DATA));
        for (int method = 0; method < 0x1000; method++) {
            for (StunClass c : StunClass.values()) {
                int type = c.messageType(method);
                assertEquals(method, StunClass.methodOf(type));
                assertEquals(c, StunClass.of(type));
            }
        }
    }
}
