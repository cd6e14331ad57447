package dev.tern.stun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Coverage-guided fuzzing of the STUN and ChannelData codec (issue #16 point 14). Under plain JUnit
 * each method replays its corpus in {@code src/test/resources/dev/tern/stun/StunCodecFuzzTestInputs/}
 * (RFC 5769 and RFC 8489 vectors, datagrams captured from coturn's tools and Chromium, and every input
 * that once failed); {@code bench/fuzz.sh} fuzzes one method for longer.
 *
 * <p>What must hold for any bytes: {@link StunMessage#parse} answers without throwing and without
 * moving the buffer's indexes, gives the same answer wherever the bytes sit in a buffer, and a
 * message it accepts can be read attribute by attribute (strings, numbers, XOR addresses, integrity,
 * fingerprint) and written again by {@link StunMessageWriter} into a message that parses to the same
 * attributes.
 */
class StunCodecFuzzTest {

    private static final byte[] KEY = "fuzz-key".getBytes(StandardCharsets.UTF_8);

    @FuzzTest(maxDuration = "5m")
    void parseNeverThrowsAndReadsBackWhatItAccepted(byte[] datagram) {
        ByteBuf buf = Unpooled.wrappedBuffer(datagram);
        StunParse outcome = StunMessage.parse(buf);
        assertEquals(0, buf.readerIndex(), "parse moved the reader index");
        assertEquals(datagram.length, buf.writerIndex(), "parse moved the writer index");
        assertSameOutcomeAtAnOffset(datagram, outcome);
        if (outcome instanceof StunParse.Malformed malformed) {
            assertNotNull(malformed.reason());
            return;
        }
        StunMessage m = ((StunParse.Parsed) outcome).message();
        assertTrue(StunMessage.looksLikeStun(buf), "accepted bytes that do not look like STUN");
        assertFalse(ChannelData.looksLikeChannelData(buf), "STUN and ChannelData overlap (RFC 7983)");
        assertEquals(datagram.length, m.length());
        assertEquals(m.messageType(), m.messageClass().messageType(m.method()), "class and method rebuild the type");
        readEveryAttribute(m);
        assertWritesBackTheSameAttributes(m);
    }

    @FuzzTest(maxDuration = "5m")
    void channelDataHeaderNeverReadsPastTheDatagram(byte[] datagram) {
        ByteBuf buf = Unpooled.wrappedBuffer(datagram);
        if (!ChannelData.looksLikeChannelData(buf)) {
            return;
        }
        assertTrue(datagram.length >= ChannelData.HEADER_LENGTH);
        int channel = ChannelData.channel(buf);
        assertTrue(ChannelNumbers.COTURN.accepts(channel), "first byte 0x40 to 0x7F is always a valid channel");
        int length = ChannelData.dataLength(buf);
        assertTrue(length >= -1 && length <= datagram.length - ChannelData.HEADER_LENGTH,
                "data length " + length + " of a " + datagram.length + "-byte datagram");
        assertInstanceOf(StunParse.Malformed.class, StunMessage.parse(buf), "ChannelData parsed as STUN");
    }

    private static void assertSameOutcomeAtAnOffset(byte[] datagram, StunParse outcome) {
        ByteBuf shifted = Unpooled.buffer(datagram.length + 7);
        shifted.writeBytes(new byte[] {1, 2, 3, 4, 5, 6, 7});
        shifted.writeBytes(datagram);
        shifted.readerIndex(7);
        StunParse again = StunMessage.parse(shifted);
        assertEquals(outcome.getClass(), again.getClass(), "the outcome depends on where the bytes sit");
        if (outcome instanceof StunParse.Parsed first && again instanceof StunParse.Parsed second) {
            assertArrayEquals(first.message().attributeTypes(), second.message().attributeTypes());
            assertEquals(Fingerprint.matches(first.message()), Fingerprint.matches(second.message()));
            assertEquals(MessageIntegrity.verifySha1(first.message(), KEY),
                    MessageIntegrity.verifySha1(second.message(), KEY));
        }
        shifted.release();
    }

    private static void readEveryAttribute(StunMessage m) {
        m.transactionId().toBytes();
        for (int type : m.attributeTypes()) {
            assertTrue(m.has(type));
            ByteBuf value = m.attribute(type).orElseThrow();
            assertEquals(m.valueLength(type), value.readableBytes());
            assertTrue(m.valueIndex(type) >= m.start() + StunMessage.HEADER_LENGTH);
            m.string(type).orElseThrow();
            long u32 = m.u32(type);
            assertTrue(u32 >= -1 && u32 <= 0xFFFFFFFFL);
            for (ByteBuf v : m.attributes(type)) {
                XorAddress.decode(v, m.transactionId());
            }
        }
        m.unknownComprehensionRequired(t -> false);
        Fingerprint.matches(m);
        MessageIntegrity.verifySha1(m, KEY);
        MessageIntegrity.verifySha1(m, new byte[0]);
        MessageIntegrity.verifySha256(m, KEY);
    }

    /** Every counted attribute but the integrity and fingerprint ones, written again, parses the same. */
    private static void assertWritesBackTheSameAttributes(StunMessage m) {
        ByteBuf out = Unpooled.buffer();
        try {
            StunMessageWriter w = StunMessageWriter.start(out, m.method(), m.messageClass(), m.transactionId());
            int[] types = m.attributeTypes();
            List<Integer> kept = new java.util.ArrayList<>();
            for (int i = 0; i < types.length; i++) {
                int type = types[i];
                if (type == StunAttribute.MESSAGE_INTEGRITY || type == StunAttribute.MESSAGE_INTEGRITY_SHA256
                        || type == StunAttribute.FINGERPRINT) {
                    continue;
                }
                // attributes(type) lists every value of a type in order: this is the nth of its type.
                int nth = 0;
                for (int j = 0; j < i; j++) {
                    if (types[j] == type) {
                        nth++;
                    }
                }
                w.bytes(type, m.attributes(type).get(nth));
                kept.add(type);
            }
            if (kept.size() + 2 > 64 || w.length() + 32 > 0xFFFF) {
                return; // no room for MESSAGE-INTEGRITY and FINGERPRINT within the parser's limits
            }
            w.integrity(KEY).fingerprint();
            StunMessage again = assertInstanceOf(StunParse.Parsed.class, StunMessage.parse(w.finish()),
                    "a message written by StunMessageWriter must parse").message();
            assertEquals(m.messageType(), again.messageType());
            assertEquals(m.transactionId(), again.transactionId());
            int[] expected = new int[kept.size() + 2];
            for (int i = 0; i < kept.size(); i++) {
                expected[i] = kept.get(i);
            }
            expected[kept.size()] = StunAttribute.MESSAGE_INTEGRITY;
            expected[kept.size() + 1] = StunAttribute.FINGERPRINT;
            assertArrayEquals(expected, again.attributeTypes());
            for (int type : kept) {
                assertEquals(ByteBufUtil.hexDump(m.attribute(type).orElseThrow()),
                        ByteBufUtil.hexDump(again.attribute(type).orElseThrow()));
            }
            assertTrue(MessageIntegrity.verifySha1(again, KEY), "the writer's MESSAGE-INTEGRITY verifies");
            assertTrue(Fingerprint.matches(again), "the writer's FINGERPRINT matches");
        } finally {
            out.release();
        }
    }
}
