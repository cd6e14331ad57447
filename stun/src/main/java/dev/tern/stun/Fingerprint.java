package dev.tern.stun;

import io.netty.buffer.ByteBuf;
import java.util.zip.CRC32;

/**
 * The FINGERPRINT attribute of RFC 8489 section 14.7: CRC-32 of the message up to the attribute,
 * XOR {@code 0x5354554E}, with the length field counting the attribute.
 *
 * <p>Stateless and thread-safe.
 */
public final class Fingerprint {

    private static final int XOR = 0x5354554E;

    private Fingerprint() {
    }

    /** Whether the message has a FINGERPRINT and it matches. */
    public static boolean matches(StunMessage message) {
        int at = message.fingerprintOffset();
        if (at < 0) {
            return false;
        }
        int expected = compute(message.buffer(), message.start(), at, at + 8 - message.start());
        return expected == message.buffer().getInt(at + 4);
    }

    /** Whether the message has a FINGERPRINT attribute. */
    public static boolean present(StunMessage message) {
        return message.fingerprintOffset() >= 0;
    }

    static int compute(ByteBuf buf, int start, int end, int messageLength) {
        CRC32 crc = new CRC32();
        crc.update(buf.getByte(start));
        crc.update(buf.getByte(start + 1));
        int length = messageLength - StunMessage.HEADER_LENGTH;
        crc.update(length >>> 8);
        crc.update(length);
        crc.update(buf.nioBuffer(start + 4, end - start - 4));
        return (int) crc.getValue() ^ XOR;
    }
}
