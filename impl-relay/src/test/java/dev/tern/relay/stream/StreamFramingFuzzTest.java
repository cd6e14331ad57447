package dev.tern.relay.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tern.relay.RelayConfig;
import dev.tern.relay.TestCertificates;
import dev.tern.relay.tls.ReloadingSslContext;
import dev.tern.stun.ChannelData;
import dev.tern.stun.StunMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.DecoderException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of TCP/TLS stream framing (issue #16 point 14): {@link StreamFrameDecoder}
 * alone, and behind {@link TlsSniffer} as a {@code tls+tcp://} connection starts, on embedded channels.
 * An input's first byte is the size of the reads the stream arrives in (0: one read); the rest is
 * the stream. Corpus: {@code src/test/resources/dev/tern/relay/stream/StreamFramingFuzzTestInputs/}
 * (TCP streams captured from coturn's {@code turnutils_uclient -t} and Chromium's TURN over TCP).
 *
 * <p>What must hold for any stream cut any way: no exception, the same messages whatever the read
 * size, each message exactly the bytes of one STUN or ChannelData frame of the stream in order, none
 * longer than the bound, the connection closed only for garbage or an oversized frame, and every
 * buffer released once the connection is gone.
 */
class StreamFramingFuzzTest {

    private static final int MAX_MESSAGE = 1024;
    private static final dev.tern.guard.ClientLogThrottle LOG_THROTTLE =
            dev.tern.guard.ClientLogThrottle.perMinute(java.time.Clock.systemUTC());
    private static Path certDir;
    private static ReloadingSslContext tls;

    /**
     * Made on first use, inside a fuzz test: Jazzer's agent is installed when the first input runs, and
     * classes loaded before it (all of TLS) would then be re-instrumented, which took 50 s here.
     */
    private static ReloadingSslContext tls() throws Exception {
        if (tls == null) {
            certDir = Files.createTempDirectory("tern-fuzz-tls");
            Path cert = certDir.resolve("cert.pem");
            Path key = certDir.resolve("key.pem");
            TestCertificates.selfSigned(cert, key, "localhost");
            tls = new ReloadingSslContext(RelayConfig.Tls.of(cert, key));
        }
        return tls;
    }

    @AfterAll
    static void removeCertificate() throws Exception {
        if (tls == null) {
            return;
        }
        tls.close();
        try (var files = Files.list(certDir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(certDir);
    }


    /** What a connection made of a stream. */
    private record Outcome(List<byte[]> messages, boolean open) {
    }

    @FuzzTest(maxDuration = "5m")
    void decoderCutsAnyStreamIntoWholeFramesOrClosesIt(byte[] input) {
        if (input.length == 0) {
            return;
        }
        byte[] stream = Arrays.copyOfRange(input, 1, input.length);
        Outcome chunked = feed(new EmbeddedConnection(new StreamFrameDecoder(MAX_MESSAGE, LOG_THROTTLE)), stream, input[0] & 0xFF);
        Outcome whole = feed(new EmbeddedConnection(new StreamFrameDecoder(MAX_MESSAGE, LOG_THROTTLE)), stream, 0);
        assertEquals(whole.open(), chunked.open(), "open or closed depends on how the stream was cut");
        assertEquals(whole.messages().size(), chunked.messages().size(), "messages depend on how the stream was cut");
        for (int i = 0; i < whole.messages().size(); i++) {
            assertArrayEquals(whole.messages().get(i), chunked.messages().get(i));
        }
        int at = 0;
        for (byte[] m : whole.messages()) {
            int frame = frameLength(m);
            assertTrue(frame <= MAX_MESSAGE, "a frame of " + frame + " bytes passed the bound of " + MAX_MESSAGE);
            assertTrue(at + frame <= stream.length);
            assertArrayEquals(Arrays.copyOfRange(stream, at, at + m.length), m, "message at stream offset " + at);
            at += frame;
        }
        if (whole.open()) {
            assertFalse(completeFrameAt(stream, at), "a complete, acceptable frame was left undelivered at " + at);
        }
    }

    @FuzzTest(maxDuration = "5m")
    void sniffingConnectionSurvivesAnyFirstBytes(byte[] input) throws Exception {
        if (input.length == 0) {
            return;
        }
        byte[] stream = Arrays.copyOfRange(input, 1, input.length);
        boolean[] sawTls = {false};
        EmbeddedConnection ch = new EmbeddedConnection(new TlsSniffer(tls(), () -> sawTls[0] = true),
                new StreamFrameDecoder(MAX_MESSAGE, LOG_THROTTLE));
        Outcome out = feed(ch, stream, input[0] & 0xFF);
        boolean startsTls = stream.length > 0 && (stream[0] & 0xFF) == TlsSniffer.TLS_HANDSHAKE;
        assertEquals(startsTls, sawTls[0], "TLS chosen for first byte " + (stream.length > 0 ? stream[0] : "none"));
        if (!startsTls) {
            Outcome plain = feed(new EmbeddedConnection(new StreamFrameDecoder(MAX_MESSAGE, LOG_THROTTLE)), stream, 0);
            assertEquals(plain.open(), out.open());
            assertEquals(plain.messages().size(), out.messages().size(), "the sniffer changed what plain TCP decodes");
        }
    }

    /** Feeds the stream in reads of {@code chunk} bytes (0: one read), then closes the connection. */
    private static Outcome feed(EmbeddedConnection ch, byte[] stream, int chunk) {
        List<ByteBuf> sent = new ArrayList<>();
        List<byte[]> messages = new ArrayList<>();
        int step = chunk == 0 ? Math.max(1, stream.length) : chunk;
        for (int i = 0; i < stream.length && ch.isActive(); i += step) {
            ByteBuf read = Unpooled.copiedBuffer(stream, i, Math.min(step, stream.length - i));
            sent.add(read);
            try {
                ch.writeInbound(read);
            } catch (DecoderException e) {
                // Only the TLS handler may fail, and only on bytes that are not TLS: the connection then closes.
                assertTrue(e.getCause() instanceof SSLException
                        , () -> "unexpected " + e);
                ch.close();
            }
            drain(ch, messages);
        }
        boolean open = ch.isActive();
        ch.finishAndReleaseAll();
        drain(ch, messages);
        for (ByteBuf b : sent) {
            assertEquals(0, b.refCnt(), "a read buffer was not released once the connection closed");
        }
        return new Outcome(messages, open);
    }

    private static void drain(EmbeddedChannel ch, List<byte[]> into) {
        for (Object m; (m = ch.readInbound()) != null; ) {
            DatagramPacket p = (DatagramPacket) m;
            into.add(ByteBufUtil.getBytes(p.content()));
            p.release();
        }
        for (Object m; (m = ch.readOutbound()) != null; ) {
            io.netty.util.ReferenceCountUtil.release(m);
        }
    }

    /** The stream bytes a delivered message took: STUN as is, ChannelData padded to 4. */
    private static int frameLength(byte[] m) {
        int first = m[0] & 0xFF;
        int declared = ((m[2] & 0xFF) << 8) | (m[3] & 0xFF);
        if (first < 0x40) {
            assertEquals(StunMessage.HEADER_LENGTH + declared, m.length, "a STUN message cut short or long");
            return m.length;
        }
        assertTrue(first < 0x80, "a message starting with " + first);
        assertEquals(ChannelData.HEADER_LENGTH + declared, m.length, "a ChannelData message cut short or long");
        return (m.length + 3) & ~3;
    }

    private static boolean completeFrameAt(byte[] s, int at) {
        if (s.length - at < 4) {
            return false;
        }
        int first = s[at] & 0xFF;
        int declared = ((s[at + 2] & 0xFF) << 8) | (s[at + 3] & 0xFF);
        int frame;
        if (first < 0x40) {
            frame = StunMessage.HEADER_LENGTH + declared;
            if (s.length - at < 8 || (declared & 3) != 0) {
                return false;
            }
        } else if (first < 0x80) {
            frame = (ChannelData.HEADER_LENGTH + declared + 3) & ~3;
        } else {
            return false;
        }
        return frame <= MAX_MESSAGE && s.length - at >= frame;
    }
}
