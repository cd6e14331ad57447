package dev.tern.stun;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A decoded STUN message: a read-only view over the bytes it was parsed from, with the position of
 * every attribute that counts: after MESSAGE-INTEGRITY only MESSAGE-INTEGRITY-SHA256 and FINGERPRINT do (RFC 8489
 * sections 14.5 and 14.6); the others there are skipped, as if absent. Nothing is copied; attribute values are
 * slices of the original buffer.
 *
 * <p>Not thread-safe, and valid only while the underlying buffer is (the view does not retain it).
 * {@link #parse} never throws for bad input: it returns {@link StunParse.Malformed}.
 */
public final class StunMessage {

    /** The STUN magic cookie. */
    public static final int MAGIC_COOKIE = 0x2112A442;
    /** The size of the STUN header. */
    public static final int HEADER_LENGTH = 20;
    private static final int MAX_ATTRIBUTES = 64;

    private final ByteBuf buf;
    private final int start;
    private final int messageType;
    private final TransactionId transactionId;
    private final int[] types;
    private final int[] offsets;
    private final int[] lengths;
    private final int count;
    private final int integrityIndex;
    private final int integritySha256Index;
    private final int fingerprintIndex;

    /**
     * The message {@link #parse} found at {@code buf}'s reader index, with its counted attributes as parallel arrays
     * (the first {@code count} entries): parallel {@code int} arrays rather than a record per attribute, so a parse
     * allocates the same few objects however many attributes the message has.
     */
    private StunMessage(ByteBuf buf, int[] types, int[] offsets, int[] lengths, int count) {
        this.buf = buf;
        this.start = buf.readerIndex();
        this.messageType = buf.getUnsignedShort(start);
        this.transactionId = TransactionId.read(buf, start + 8);
        this.types = types;
        this.offsets = offsets;
        this.lengths = lengths;
        this.count = count;
        this.integrityIndex = indexOf(StunAttribute.MESSAGE_INTEGRITY);
        this.integritySha256Index = indexOf(StunAttribute.MESSAGE_INTEGRITY_SHA256);
        this.fingerprintIndex = indexOf(StunAttribute.FINGERPRINT);
    }

    /** Whether the readable bytes look like a STUN message (first two bits zero and the magic cookie). */
    public static boolean looksLikeStun(ByteBuf buf) {
        int i = buf.readerIndex();
        return buf.readableBytes() >= HEADER_LENGTH && (buf.getByte(i) & 0xC0) == 0
                && buf.getInt(i + 4) == MAGIC_COOKIE;
    }

    /**
     * Parses the readable bytes of {@code buf}, which must hold exactly one message (as a UDP datagram
     * does). Does not move the buffer's indexes. Malformed: a header that is not STUN's (first two bits, magic
     * cookie, a length that is not a multiple of 4 or not the bytes given), an attribute that runs past the end or
     * follows FINGERPRINT, more than 64 counted attributes, and MESSAGE-INTEGRITY other than 20 bytes,
     * MESSAGE-INTEGRITY-SHA256 other than 16 to 32 (a multiple of 4) or FINGERPRINT other than 4.
     */
    public static StunParse parse(ByteBuf buf) {
        int start = buf.readerIndex();
        int readable = buf.readableBytes();
        if (readable < HEADER_LENGTH) {
            return new StunParse.Malformed("shorter than a STUN header");
        }
        int messageType = buf.getUnsignedShort(start);
        if ((messageType & 0xC000) != 0) {
            return new StunParse.Malformed("first two bits are not zero");
        }
        int length = buf.getUnsignedShort(start + 2);
        if ((length & 3) != 0) {
            return new StunParse.Malformed("length is not a multiple of 4");
        }
        if (buf.getInt(start + 4) != MAGIC_COOKIE) {
            return new StunParse.Malformed("no magic cookie");
        }
        if (HEADER_LENGTH + length != readable) {
            return new StunParse.Malformed("length field does not match the datagram");
        }
        int[] types = new int[8];
        int[] offsets = new int[8];
        int[] lengths = new int[8];
        int count = 0;
        int pos = start + HEADER_LENGTH;
        int end = start + readable;
        boolean afterIntegrity = false;
        boolean afterFingerprint = false;
        while (pos < end) {
            if (end - pos < 4) {
                return new StunParse.Malformed("truncated attribute header");
            }
            int type = buf.getUnsignedShort(pos);
            int len = buf.getUnsignedShort(pos + 2);
            int padded = (len + 3) & ~3;
            if (pos + 4 + padded > end) {
                return new StunParse.Malformed("attribute runs past the end of the message");
            }
            if (afterFingerprint) {
                return new StunParse.Malformed("attribute after FINGERPRINT");
            }
            // RFC 8489 14.5/14.6: after MESSAGE-INTEGRITY only MESSAGE-INTEGRITY-SHA256 and FINGERPRINT count.
            boolean counts = !afterIntegrity || type == StunAttribute.MESSAGE_INTEGRITY_SHA256
                    || type == StunAttribute.FINGERPRINT;
            if (counts) {
                if (count == MAX_ATTRIBUTES) {
                    return new StunParse.Malformed("too many attributes");
                }
                if (count == types.length) {
                    types = java.util.Arrays.copyOf(types, count * 2);
                    offsets = java.util.Arrays.copyOf(offsets, count * 2);
                    lengths = java.util.Arrays.copyOf(lengths, count * 2);
                }
                types[count] = type;
                offsets[count] = pos;
                lengths[count] = len;
                count++;
            }
            if (type == StunAttribute.MESSAGE_INTEGRITY || type == StunAttribute.MESSAGE_INTEGRITY_SHA256) {
                afterIntegrity = true;
            } else if (type == StunAttribute.FINGERPRINT) {
                if (len != 4) {
                    return new StunParse.Malformed("FINGERPRINT is not 4 bytes");
                }
                afterFingerprint = true;
            }
            pos += 4 + padded;
        }
        StunMessage message = new StunMessage(buf, types, offsets, lengths, count);
        if (message.integrityIndex >= 0 && lengths[message.integrityIndex] != 20) {
            return new StunParse.Malformed("MESSAGE-INTEGRITY is not 20 bytes");
        }
        if (message.integritySha256Index >= 0) {
            int l = lengths[message.integritySha256Index];
            if (l < 16 || l > 32 || (l & 3) != 0) {
                return new StunParse.Malformed("MESSAGE-INTEGRITY-SHA256 is not 16 to 32 bytes");
            }
        }
        return new StunParse.Parsed(message);
    }

    private int indexOf(int type) {
        for (int i = 0; i < count; i++) {
            if (types[i] == type) {
                return i;
            }
        }
        return -1;
    }

    /** The buffer this message was parsed from. */
    public ByteBuf buffer() {
        return buf;
    }

    /** The index in {@link #buffer()} where the message starts. */
    public int start() {
        return start;
    }

    /** The whole message length, header included. */
    public int length() {
        return HEADER_LENGTH + buf.getUnsignedShort(start + 2);
    }

    /** The 14-bit message type. */
    public int messageType() {
        return messageType;
    }

    /** The method, see {@link StunMethod}. */
    public int method() {
        return StunClass.methodOf(messageType);
    }

    /** The class. */
    public StunClass messageClass() {
        return StunClass.of(messageType);
    }

    /** The transaction id. */
    public TransactionId transactionId() {
        return transactionId;
    }

    /** Whether the message has the attribute (the first of its type counts). */
    public boolean has(int type) {
        return indexOf(type) >= 0;
    }

    /** The value of the first attribute of this type, as a slice (not retained, no copy). */
    public Optional<ByteBuf> attribute(int type) {
        int i = indexOf(type);
        return i < 0 ? Optional.empty() : Optional.of(buf.slice(offsets[i] + 4, lengths[i]));
    }

    /** The index in {@link #buffer()} of the first value of this type, or -1 when absent. */
    public int valueIndex(int type) {
        int i = indexOf(type);
        return i < 0 ? -1 : offsets[i] + 4;
    }

    /** The length of the first value of this type, or -1 when absent. */
    public int valueLength(int type) {
        int i = indexOf(type);
        return i < 0 ? -1 : lengths[i];
    }

    /** The values of every attribute of this type, in order (slices, not retained). */
    public List<ByteBuf> attributes(int type) {
        List<ByteBuf> values = new ArrayList<>(2);
        for (int i = 0; i < count; i++) {
            if (types[i] == type) {
                values.add(buf.slice(offsets[i] + 4, lengths[i]));
            }
        }
        return values;
    }

    /** The value of the first attribute of this type decoded as UTF-8. */
    public Optional<String> string(int type) {
        int i = indexOf(type);
        return i < 0 ? Optional.empty()
                : Optional.of(buf.toString(offsets[i] + 4, lengths[i], StandardCharsets.UTF_8));
    }

    /** The first attribute of this type read as an unsigned 32-bit number, or -1 when absent or not 4 bytes. */
    public long u32(int type) {
        int i = indexOf(type);
        return i < 0 || lengths[i] != 4 ? -1 : buf.getUnsignedInt(offsets[i] + 4);
    }

    /** The types of all counted attributes, in order. */
    public int[] attributeTypes() {
        return java.util.Arrays.copyOf(types, count);
    }

    /** The comprehension-required attribute types not in {@code known}, in order, without repeats. */
    public List<Integer> unknownComprehensionRequired(java.util.function.IntPredicate known) {
        List<Integer> unknown = new ArrayList<>(0);
        for (int i = 0; i < count; i++) {
            int t = types[i];
            if (StunAttribute.isComprehensionRequired(t) && !known.test(t) && !unknown.contains(t)) {
                unknown.add(t);
            }
        }
        return unknown;
    }

    /** Offset of the MESSAGE-INTEGRITY attribute header in the buffer, or -1. */
    int integrityOffset() {
        return integrityIndex < 0 ? -1 : offsets[integrityIndex];
    }

    /** Offset of the MESSAGE-INTEGRITY-SHA256 attribute header in the buffer, or -1. */
    int integritySha256Offset() {
        return integritySha256Index < 0 ? -1 : offsets[integritySha256Index];
    }

    /** Length of the MESSAGE-INTEGRITY-SHA256 value, or -1. */
    int integritySha256Length() {
        return integritySha256Index < 0 ? -1 : lengths[integritySha256Index];
    }

    /** Offset of the FINGERPRINT attribute header in the buffer, or -1. */
    int fingerprintOffset() {
        return fingerprintIndex < 0 ? -1 : offsets[fingerprintIndex];
    }
}
