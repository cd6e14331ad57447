package dev.tern.turn.client;

import dev.tern.stun.MessageIntegrity;
import dev.tern.stun.StunAttribute;
import dev.tern.stun.StunClass;
import dev.tern.stun.StunMessage;
import dev.tern.stun.StunParse;
import dev.tern.stun.XorAddress;
import dev.tern.stun.MappedAddress;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A response a {@link TurnClient} received, copied out of the datagram so it outlives it. The attributes other
 * than the components are read from {@code raw} when asked for.
 *
 * <p>Immutable and thread-safe as long as nobody writes into {@link #raw()}, which hands out the record's own
 * array.
 *
 * @param messageClass success or error
 * @param method the method answered
 * @param errorCode the ERROR-CODE (300 to 699), or 0 when there is none (a success)
 * @param grant what a success response grants: addresses, lifetime, reservation
 * @param challenge what an error response challenges with: realm and nonce
 * @param raw the whole response
 */
public record StunResponse(StunClass messageClass, int method, int errorCode, Grant grant, Challenge challenge,
        byte[] raw) {

    /**
     * What a success response grants.
     *
     * @param relayed XOR-RELAYED-ADDRESS, if present
     * @param mapped XOR-MAPPED-ADDRESS, if present
     * @param lifetime LIFETIME in seconds, or -1
     * @param reservationToken RESERVATION-TOKEN, if present
     */
    public record Grant(Optional<InetSocketAddress> relayed, Optional<InetSocketAddress> mapped, long lifetime,
            Optional<Long> reservationToken) {
    }

    /**
     * The long-term credential challenge of a 401 or 438 (RFC 8489 section 9.2).
     *
     * @param realm REALM, if present
     * @param nonce NONCE, if present
     */
    public record Challenge(Optional<String> realm, Optional<String> nonce) {
    }

    /** Parses a response datagram; empty if it is not a well-formed STUN response. */
    public static Optional<StunResponse> parse(byte[] datagram) {
        ByteBuf buf = Unpooled.wrappedBuffer(datagram);
        if (!(StunMessage.parse(buf) instanceof StunParse.Parsed parsed)) {
            return Optional.empty();
        }
        StunMessage m = parsed.message();
        if (m.messageClass() != StunClass.SUCCESS_RESPONSE && m.messageClass() != StunClass.ERROR_RESPONSE) {
            return Optional.empty();
        }
        int code = m.attribute(StunAttribute.ERROR_CODE)
                .filter(v -> v.readableBytes() >= 4)
                .map(v -> (v.getByte(v.readerIndex() + 2) & 7) * 100 + (v.getByte(v.readerIndex() + 3) & 0xFF))
                .orElse(0);
        Optional<Long> token = m.attribute(StunAttribute.RESERVATION_TOKEN)
                .filter(v -> v.readableBytes() == 8).map(v -> v.getLong(v.readerIndex()));
        return Optional.of(new StunResponse(m.messageClass(), m.method(), code,
                new Grant(m.attribute(StunAttribute.XOR_RELAYED_ADDRESS).flatMap(v -> XorAddress.decode(v,
                        m.transactionId())), m.attribute(StunAttribute.XOR_MAPPED_ADDRESS).flatMap(v ->
                        XorAddress.decode(v, m.transactionId())), m.u32(StunAttribute.LIFETIME), token),
                new Challenge(m.string(StunAttribute.REALM), m.string(StunAttribute.NONCE)), datagram.clone()));
    }

    /** Whether this is a success response. */
    public boolean success() {
        return messageClass == StunClass.SUCCESS_RESPONSE;
    }

    /**
     * This response when it is a success.
     *
     * @throws TurnException with the error code and the server's reason phrase for an error response
     */
    public StunResponse orThrow() throws TurnException {
        if (success()) {
            return this;
        }
        throw new TurnException(errorCode, "TURN method 0x" + Integer.toHexString(method) + " refused: " + reason());
    }

    /** The ERROR-CODE's reason phrase (control characters, like coturn's NUL padding, removed), if any. */
    public String reason() {
        if (!(StunMessage.parse(Unpooled.wrappedBuffer(raw)) instanceof StunParse.Parsed p)) {
            return "no reason given";
        }
        return p.message().attribute(StunAttribute.ERROR_CODE).filter(v -> v.readableBytes() > 4)
                .map(v -> v.toString(v.readerIndex() + 4, v.readableBytes() - 4, StandardCharsets.UTF_8))
                .map(text -> text.replaceAll("\\p{Cntrl}", "").trim())
                .filter(text -> !text.isEmpty())
                .orElse("no reason given");
    }

    /** Whether the response carries a MESSAGE-INTEGRITY that matches {@code key}. */
    public boolean integrityMatches(byte[] key) {
        ByteBuf buf = Unpooled.wrappedBuffer(raw);
        return StunMessage.parse(buf) instanceof StunParse.Parsed p && MessageIntegrity.verifySha1(p.message(), key);
    }

    /** Whether the response carries a MESSAGE-INTEGRITY-SHA256 that matches {@code key}. */
    public boolean integritySha256Matches(byte[] key) {
        ByteBuf buf = Unpooled.wrappedBuffer(raw);
        return StunMessage.parse(buf) instanceof StunParse.Parsed p && MessageIntegrity.verifySha256(p.message(), key);
    }

    /** The value of PASSWORD-ALGORITHMS (a 401 or 438 challenge's offer), if present. */
    public Optional<byte[]> passwordAlgorithms() {
        if (!(StunMessage.parse(Unpooled.wrappedBuffer(raw)) instanceof StunParse.Parsed p)) {
            return Optional.empty();
        }
        return p.message().attribute(StunAttribute.PASSWORD_ALGORITHMS).map(ByteBufUtil::getBytes);
    }

    /** Every XOR-RELAYED-ADDRESS in order: two (IPv4 first) for a dual allocation, else at most one. */
    public List<InetSocketAddress> relayedAddresses() {
        if (!(StunMessage.parse(Unpooled.wrappedBuffer(raw)) instanceof StunParse.Parsed p)) {
            return List.of();
        }
        List<InetSocketAddress> out = new ArrayList<>();
        for (ByteBuf v : p.message().attributes(StunAttribute.XOR_RELAYED_ADDRESS)) {
            XorAddress.decode(v, p.message().transactionId()).ifPresent(out::add);
        }
        return List.copyOf(out);
    }

    /**
     * An ADDRESS-ERROR-CODE (RFC 8656): the half of a dual allocation the relay could not give.
     *
     * @param family the family refused ({@link StunAttribute#FAMILY_IPV6})
     * @param code the error code, like 440
     */
    public record AddressError(int family, int code) {
    }

    /** The ADDRESS-ERROR-CODE, if there is one. */
    public Optional<AddressError> addressError() {
        if (!(StunMessage.parse(Unpooled.wrappedBuffer(raw)) instanceof StunParse.Parsed p)) {
            return Optional.empty();
        }
        return p.message().attribute(StunAttribute.ADDRESS_ERROR_CODE).filter(v -> v.readableBytes() >= 4)
                .map(v -> new AddressError(v.getUnsignedByte(v.readerIndex()),
                        (v.getByte(v.readerIndex() + 2) & 7) * 100 + v.getUnsignedByte(v.readerIndex() + 3)));
    }

    /** Whether the response has this attribute. */
    public boolean has(int attributeType) {
        return StunMessage.parse(Unpooled.wrappedBuffer(raw)) instanceof StunParse.Parsed p
                && p.message().has(attributeType);
    }

    /** ALTERNATE-SERVER, the relay a 300 Try Alternate sends the client to, if present and well formed. */
    public Optional<InetSocketAddress> alternateServer() {
        return StunMessage.parse(Unpooled.wrappedBuffer(raw)) instanceof StunParse.Parsed p
                ? p.message().attribute(StunAttribute.ALTERNATE_SERVER).flatMap(MappedAddress::decode)
                : Optional.empty();
    }
}
