package dev.tern.relay.shared;

import dev.tern.stun.StunMessage;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Tells TURN from HTTP by the first bytes a client sends (RFC 7983 style demultiplexing, widened for HTTP): a
 * STUN header (first byte below 0x40 and the magic cookie at bytes 4 to 7), an HTTP/2 connection preface
 * ({@code PRI }), an HTTP/1.x request line (a method and a space), or ChannelData (first byte 0x40 to 0x7F, and no
 * method: {@code G} of {@code GET} is 0x47, so a method is looked for first; a new connection cannot send
 * ChannelData before an Allocate anyway). Anything else is garbage.
 *
 * <p>Stateless and thread-safe; reads without consuming. At most 8 bytes are needed.
 */
public final class FirstBytes {

    /** What the bytes are. */
    public enum Verdict {
        /** STUN or ChannelData. */
        TURN,
        /** An HTTP/1.x request line. */
        HTTP_1_1,
        /** The HTTP/2 connection preface. */
        HTTP_2,
        /** Neither: close the connection. */
        GARBAGE,
        /** Too few bytes yet to say. */
        MORE
    }

    /** The most bytes {@link #classify} needs. */
    public static final int NEEDED = 8;

    private static final byte[] PREFACE = "PRI ".getBytes(StandardCharsets.US_ASCII);
    private static final List<byte[]> METHODS = List.of("GET ", "HEAD ", "POST ", "PUT ", "DELETE ", "OPTIONS ",
            "PATCH ", "TRACE ", "CONNECT ").stream().map(m -> m.getBytes(StandardCharsets.US_ASCII)).toList();

    private FirstBytes() {
    }

    /** Classifies the readable bytes of {@code in} (not consumed). */
    public static Verdict classify(ByteBuf in) {
        int n = in.readableBytes();
        if (n == 0) {
            return Verdict.MORE;
        }
        int start = in.readerIndex();
        int first = in.getUnsignedByte(start);
        if (first < 0x40) {
            if (n < 8) {
                return Verdict.MORE;
            }
            return in.getInt(start + 4) == StunMessage.MAGIC_COOKIE ? Verdict.TURN : Verdict.GARBAGE;
        }
        boolean partial = false;
        Match preface = match(in, PREFACE);
        if (preface == Match.FULL) {
            return Verdict.HTTP_2;
        }
        partial |= preface == Match.PREFIX;
        for (byte[] method : METHODS) {
            Match m = match(in, method);
            if (m == Match.FULL) {
                return Verdict.HTTP_1_1;
            }
            partial |= m == Match.PREFIX;
        }
        if (partial) {
            return Verdict.MORE;
        }
        return first < 0x80 ? Verdict.TURN : Verdict.GARBAGE;
    }

    private enum Match { FULL, PREFIX, NO }

    private static Match match(ByteBuf in, byte[] token) {
        int n = Math.min(in.readableBytes(), token.length);
        for (int i = 0; i < n; i++) {
            if (in.getByte(in.readerIndex() + i) != token[i]) {
                return Match.NO;
            }
        }
        return n == token.length ? Match.FULL : Match.PREFIX;
    }
}
