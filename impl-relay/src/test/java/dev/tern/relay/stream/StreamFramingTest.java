package dev.tern.relay.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.stun.StunAttribute;
import dev.tern.stun.StunClass;
import dev.tern.stun.StunMessageWriter;
import dev.tern.stun.StunMethod;
import dev.tern.stun.TransactionId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@link StreamFrameDecoder} and {@link StreamFrameEncoder} on an embedded channel. */
class StreamFramingTest {

    private static byte[] stun(int dataLength) {
        ByteBuf out = Unpooled.buffer();
        try {
            StunMessageWriter w = StunMessageWriter.start(out, StunMethod.SEND, StunClass.INDICATION,
                    TransactionId.random()).xorAddress(StunAttribute.XOR_PEER_ADDRESS,
                            new InetSocketAddress("192.0.2.1", 9));
            w.bytes(StunAttribute.DATA, new byte[dataLength]);
            return ByteBufUtil.getBytes(w.finish());
        } finally {
            out.release();
        }
    }

    private static byte[] channelData(int channel, int length, boolean padded) {
        byte[] frame = new byte[4 + (padded ? (length + 3) & ~3 : length)];
        frame[0] = (byte) (channel >> 8);
        frame[1] = (byte) channel;
        frame[2] = (byte) (length >> 8);
        frame[3] = (byte) length;
        for (int i = 0; i < length; i++) {
            frame[4 + i] = (byte) (i + 1);
        }
        return frame;
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }


    private static EmbeddedChannel channel(int max) {
        return new EmbeddedConnection(new StreamFrameDecoder(max,
                dev.tern.guard.ClientLogThrottle.perMinute(java.time.Clock.systemUTC())));
    }

    private static byte[] next(EmbeddedChannel ch) {
        DatagramPacket p = ch.readInbound();
        if (p == null) {
            return null;
        }
        try {
            return ByteBufUtil.getBytes(p.content());
        } finally {
            p.release();
        }
    }

    @Test
    void cutsManyMessagesOutOfOneReadAndDropsChannelDataPadding() {
        EmbeddedChannel ch = channel(8192);
        byte[] a = stun(5);
        byte[] b = channelData(0x4001, 5, true);
        byte[] c = stun(100);
        ch.writeInbound(Unpooled.wrappedBuffer(concat(a, b, c)));
        assertArrayEquals(a, next(ch));
        assertArrayEquals(Arrays.copyOf(b, 9), next(ch), "ChannelData without its 3 padding bytes");
        assertArrayEquals(c, next(ch));
        assertNull(next(ch));
        assertTrue(ch.isActive());
        ch.finishAndReleaseAll();
    }

    @Test
    void joinsMessagesSplitAcrossReadsEvenOneByteAtATime() {
        EmbeddedChannel ch = channel(8192);
        byte[] a = stun(33);
        byte[] b = channelData(0x7FFF, 7, true);
        byte[] all = concat(a, b);
        for (int i = 0; i < all.length; i++) {
            ch.writeInbound(Unpooled.wrappedBuffer(all, i, 1));
            if (i < a.length - 1) {
                assertNull(next(ch), "nothing before the message is complete (byte " + i + ")");
            }
            if (i == a.length - 1) {
                assertArrayEquals(a, next(ch));
            }
        }
        assertArrayEquals(Arrays.copyOf(b, 11), next(ch));
        assertTrue(ch.isActive());
        ch.finishAndReleaseAll();
    }

    @Test
    void closesTheConnectionOnGarbage() {
        EmbeddedChannel tlsRecord = channel(8192);
        tlsRecord.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, 1, 2, 3, 4, 5}));
        assertFalse(tlsRecord.isActive(), "first byte 0x80 is neither STUN nor ChannelData");
        assertNull(next(tlsRecord));

        EmbeddedChannel noCookie = channel(8192);
        byte[] bad = stun(4);
        bad[4] ^= 1;
        noCookie.writeInbound(Unpooled.wrappedBuffer(bad));
        assertFalse(noCookie.isActive(), "a STUN header without the magic cookie");

        EmbeddedChannel tlsOnPlainPort = channel(8192);
        tlsOnPlainPort.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x16, 3, 1, 0, (byte) 0xF4, 1, 0, 0}));
        assertFalse(tlsOnPlainPort.isActive(), "a TLS ClientHello on a plain TCP port");
        tlsRecord.finishAndReleaseAll();
        noCookie.finishAndReleaseAll();
        tlsOnPlainPort.finishAndReleaseAll();
    }

    @Test
    void closesTheConnectionWhenAMessageWouldExceedTheBoundInsteadOfBufferingIt() {
        EmbeddedChannel ch = channel(1024);
        byte[] big = channelData(0x4000, 2000, true);
        ch.writeInbound(Unpooled.wrappedBuffer(big, 0, 4));
        assertFalse(ch.isActive(), "the header alone announces too much");
        assertNull(next(ch));
        ch.finishAndReleaseAll();
    }

    @Test
    void encoderPadsChannelDataToFourBytesAndPassesStunAsIs() {
        EmbeddedChannel ch = new EmbeddedChannel(StreamFrameEncoder.INSTANCE);
        InetSocketAddress to = new InetSocketAddress("127.0.0.1", 1);
        ch.writeOutbound(new DatagramPacket(Unpooled.wrappedBuffer(channelData(0x4001, 5, false)), to));
        ch.writeOutbound(new DatagramPacket(Unpooled.wrappedBuffer(stun(5)), to));
        ByteBuf out = Unpooled.buffer();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            out.writeBytes(b);
            b.release();
        }
        byte[] written = ByteBufUtil.getBytes(out);
        out.release();
        assertEquals(concat(channelData(0x4001, 5, true), stun(5)).length, written.length);
        assertArrayEquals(channelData(0x4001, 5, true), Arrays.copyOf(written, 12));
        assertEquals(0, written[12] & 0xC0, "the STUN message follows right after the padding");
        ch.finishAndReleaseAll();
    }
}
