package dev.tern.bench.jmh;

import dev.tern.stun.ChannelData;
import dev.tern.stun.MessageIntegrity;
import dev.tern.stun.StunAttribute;
import dev.tern.stun.StunClass;
import dev.tern.stun.StunMessage;
import dev.tern.stun.StunMessageWriter;
import dev.tern.stun.StunMethod;
import dev.tern.stun.StunParse;
import dev.tern.stun.TransactionId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/** The relay codec's hot paths: a ChannelData header, and an authenticated Allocate parsed and verified. */
public class StunCodecBenchmark extends HotPathBenchmark {

    private ByteBuf channelData;
    private ByteBuf allocate;
    private ByteBuf scratch;
    private byte[] key;

    @Setup
    public void setUp() {
        channelData = Unpooled.directBuffer(164);
        ChannelData.writeHeader(channelData, 0, 0x4001, 160);
        channelData.writerIndex(164);
        key = new byte[16];
        allocate = Unpooled.directBuffer(256);
        StunMessageWriter.start(allocate, StunMethod.ALLOCATE, StunClass.REQUEST, TransactionId.random())
                .u8Padded(StunAttribute.REQUESTED_TRANSPORT, StunAttribute.TRANSPORT_UDP)
                .string(StunAttribute.USERNAME, "1767225600:@alice:example.org")
                .string(StunAttribute.REALM, "turn.example.org")
                .string(StunAttribute.NONCE, "obMatJos2AAABxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")
                .integrity(key).fingerprint().finish();
        scratch = Unpooled.directBuffer(256);
    }

    @TearDown
    public void tearDown() {
        channelData.release();
        allocate.release();
        scratch.release();
    }

    /** What the relay reads from a ChannelData datagram before forwarding it. */
    @Benchmark
    public int decodeChannelDataHeader() {
        return ChannelData.looksLikeChannelData(channelData) ? ChannelData.channel(channelData)
                + ChannelData.dataLength(channelData) : -1;
    }

    /** Parse an Allocate with USERNAME, REALM, NONCE, MESSAGE-INTEGRITY, FINGERPRINT and check its integrity. */
    @Benchmark
    public boolean decodeAndVerifyAllocate() {
        StunParse parse = StunMessage.parse(allocate);
        return parse instanceof StunParse.Parsed parsed && MessageIntegrity.verifySha1(parsed.message(), key);
    }

    /** Encode an Allocate success response with integrity and fingerprint. */
    @Benchmark
    public int encodeAllocateResponse() {
        scratch.clear();
        return StunMessageWriter.start(scratch, StunMethod.ALLOCATE, StunClass.SUCCESS_RESPONSE, TransactionId.random())
                .u32(StunAttribute.LIFETIME, 600)
                .integrity(key).fingerprint().finish().readableBytes();
    }
}
