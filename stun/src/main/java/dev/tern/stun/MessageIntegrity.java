package dev.tern.stun;

import io.netty.buffer.ByteBuf;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * MESSAGE-INTEGRITY (HMAC-SHA1) and MESSAGE-INTEGRITY-SHA256 (HMAC-SHA256) of RFC 8489 section 14.5
 * and 14.6: computed over the message up to the attribute, with the header's length field counting
 * the message only up to and including that attribute.
 *
 * <p>Stateless and thread-safe. Comparisons are constant-time. A message without the attribute never
 * verifies.
 */
public final class MessageIntegrity {

    private MessageIntegrity() {
    }

    /** Whether the message's MESSAGE-INTEGRITY matches HMAC-SHA1 with {@code key}. */
    public static boolean verifySha1(StunMessage message, byte[] key) {
        int at = message.integrityOffset();
        if (at < 0) {
            return false;
        }
        byte[] expected = hmac("HmacSHA1", key, message.buffer(), message.start(), at, at + 24 - message.start());
        byte[] actual = new byte[20];
        message.buffer().getBytes(at + 4, actual);
        return MessageDigest.isEqual(expected, actual);
    }

    /** Whether the message's MESSAGE-INTEGRITY-SHA256 matches HMAC-SHA256 with {@code key} (maybe truncated). */
    public static boolean verifySha256(StunMessage message, byte[] key) {
        int at = message.integritySha256Offset();
        if (at < 0) {
            return false;
        }
        int len = message.integritySha256Length();
        byte[] full = hmac("HmacSHA256", key, message.buffer(), message.start(), at, at + 4 + len - message.start());
        byte[] expected = java.util.Arrays.copyOf(full, len);
        byte[] actual = new byte[len];
        message.buffer().getBytes(at + 4, actual);
        return MessageDigest.isEqual(expected, actual);
    }

    /**
     * The HMAC of {@code buf[start, end)} with the STUN length field (bytes 2 and 3) replaced by
     * {@code messageLength - 20}.
     *
     * @param algorithm {@code HmacSHA1} or {@code HmacSHA256}
     * @param messageLength the message length, header included, as it will be once the attribute is added
     */
    static byte[] hmac(String algorithm, byte[] key, ByteBuf buf, int start, int end, int messageLength) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            // SecretKeySpec refuses empty keys; HMAC pads keys with zeros, so one zero byte is the same key.
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, algorithm));
            mac.update(buf.getByte(start));
            mac.update(buf.getByte(start + 1));
            int length = messageLength - StunMessage.HEADER_LENGTH;
            mac.update((byte) (length >>> 8));
            mac.update((byte) length);
            mac.update(buf.nioBuffer(start + 4, end - start - 4));
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + algorithm, e);
        }
    }
}
