package dev.tern.stun;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes one STUN message into a {@link ByteBuf}: the header first, then attributes in call order. The caller
 * adds MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and FINGERPRINT (each optional) last, in that order; the writer
 * does not check it (each is computed over what was written before it). The header's length field is kept up to
 * date after every call.
 *
 * <p>Not thread-safe; one writer per message. The writer does not own the buffer: the caller releases
 * it (or hands it to Netty) after {@link #finish()}.
 */
public final class StunMessageWriter {

    private final ByteBuf out;
    private final int start;
    private final TransactionId transactionId;

    private StunMessageWriter(ByteBuf out, int messageType, TransactionId transactionId) {
        this.out = out;
        this.start = out.writerIndex();
        this.transactionId = transactionId;
        out.writeShort(messageType).writeShort(0).writeInt(StunMessage.MAGIC_COOKIE);
        transactionId.writeTo(out);
    }

    /** Starts a message of {@code method} and {@code messageClass}. */
    public static StunMessageWriter start(ByteBuf out, int method, StunClass messageClass, TransactionId tid) {
        return new StunMessageWriter(out, messageClass.messageType(method), tid);
    }

    /** The transaction id of the message being written. */
    public TransactionId transactionId() {
        return transactionId;
    }

    private void header(int type, int length) {
        out.writeShort(type).writeShort(length);
    }

    private void pad(int length) {
        int padding = (4 - (length & 3)) & 3;
        out.writeZero(padding);
        updateLength();
    }

    private void updateLength() {
        out.setShort(start + 2, out.writerIndex() - start - StunMessage.HEADER_LENGTH);
    }

    /** Adds an attribute with these bytes as its value. */
    public StunMessageWriter bytes(int type, byte[] value) {
        header(type, value.length);
        out.writeBytes(value);
        pad(value.length);
        return this;
    }

    /** Adds an attribute whose value is the readable bytes of {@code value} (not consumed, not released). */
    public StunMessageWriter bytes(int type, ByteBuf value) {
        int len = value.readableBytes();
        header(type, len);
        out.writeBytes(value, value.readerIndex(), len);
        pad(len);
        return this;
    }

    /** Adds a UTF-8 string attribute (USERNAME, REALM, NONCE, SOFTWARE). */
    public StunMessageWriter string(int type, String value) {
        return bytes(type, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Adds a 32-bit attribute (LIFETIME, REQUESTED-TRANSPORT's layout is {@link #u8Padded}). */
    public StunMessageWriter u32(int type, long value) {
        header(type, 4);
        out.writeInt((int) value);
        updateLength();
        return this;
    }

    /** Adds a 4-byte attribute whose first byte is {@code value} (REQUESTED-TRANSPORT, address families). */
    public StunMessageWriter u8Padded(int type, int value) {
        header(type, 4);
        out.writeByte(value).writeZero(3);
        updateLength();
        return this;
    }

    /** Adds an attribute with no value (DONT-FRAGMENT, USE-CANDIDATE). */
    public StunMessageWriter flag(int type) {
        header(type, 0);
        updateLength();
        return this;
    }

    /** Adds an XOR address attribute (XOR-MAPPED-ADDRESS, XOR-PEER-ADDRESS, XOR-RELAYED-ADDRESS). */
    public StunMessageWriter xorAddress(int type, InetSocketAddress address) {
        header(type, XorAddress.valueLength(address.getAddress()));
        XorAddress.encode(out, address, transactionId);
        updateLength();
        return this;
    }

    /**
     * Adds an address attribute in the plain MAPPED-ADDRESS layout, not XORed (RFC 8489 section 14.1):
     * ALTERNATE-SERVER (section 14.15) is the one Tern sends.
     */
    public StunMessageWriter address(int type, InetSocketAddress address) {
        header(type, MappedAddress.valueLength(address.getAddress()));
        MappedAddress.encode(out, address);
        updateLength();
        return this;
    }

    /** Adds ERROR-CODE with the code (300 to 699) and a short reason phrase. */
    public StunMessageWriter errorCode(int code, String reason) {
        byte[] phrase = reason.getBytes(StandardCharsets.UTF_8);
        header(StunAttribute.ERROR_CODE, 4 + phrase.length);
        out.writeShort(0).writeByte(code / 100).writeByte(code % 100).writeBytes(phrase);
        pad(4 + phrase.length);
        return this;
    }

    /** Adds UNKNOWN-ATTRIBUTES listing these types. */
    public StunMessageWriter unknownAttributes(List<Integer> typesList) {
        header(StunAttribute.UNKNOWN_ATTRIBUTES, typesList.size() * 2);
        for (int t : typesList) {
            out.writeShort(t);
        }
        pad(typesList.size() * 2);
        return this;
    }

    /** Adds PASSWORD-ALGORITHMS offering MD5 and SHA-256 (no parameters). */
    public StunMessageWriter passwordAlgorithms() {
        header(StunAttribute.PASSWORD_ALGORITHMS, 8);
        out.writeShort(StunAttribute.ALGORITHM_MD5).writeShort(0);
        out.writeShort(StunAttribute.ALGORITHM_SHA256).writeShort(0);
        updateLength();
        return this;
    }

    /** Adds PASSWORD-ALGORITHM with this algorithm and no parameters. */
    public StunMessageWriter passwordAlgorithm(int algorithm) {
        header(StunAttribute.PASSWORD_ALGORITHM, 4);
        out.writeShort(algorithm).writeShort(0);
        updateLength();
        return this;
    }

    /** Adds MESSAGE-INTEGRITY (HMAC-SHA1) with the long-term or short-term key. */
    public StunMessageWriter integrity(byte[] key) {
        int end = out.writerIndex();
        byte[] mac = MessageIntegrity.hmac("HmacSHA1", key, out, start, end, end + 24 - start);
        return bytes(StunAttribute.MESSAGE_INTEGRITY, mac);
    }

    /** Adds MESSAGE-INTEGRITY-SHA256 (full 32 bytes) with the SHA-256 long-term key. */
    public StunMessageWriter integritySha256(byte[] key) {
        int end = out.writerIndex();
        byte[] mac = MessageIntegrity.hmac("HmacSHA256", key, out, start, end, end + 36 - start);
        return bytes(StunAttribute.MESSAGE_INTEGRITY_SHA256, mac);
    }

    /** Adds FINGERPRINT; nothing may follow it. */
    public StunMessageWriter fingerprint() {
        int end = out.writerIndex();
        int crc = Fingerprint.compute(out, start, end, end + 8 - start);
        return u32(StunAttribute.FINGERPRINT, crc & 0xFFFFFFFFL);
    }

    /** The current message length, header included. */
    public int length() {
        return out.writerIndex() - start;
    }

    /** Ends the message and returns the buffer it was written to. */
    public ByteBuf finish() {
        updateLength();
        return out;
    }
}
