package dev.tern.stun;

import io.netty.buffer.ByteBuf;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Address values in the plain MAPPED-ADDRESS layout (RFC 8489 section 14.1): a zero byte, the family, the port
 * and the address, not XORed. ALTERNATE-SERVER (section 14.15) uses it.
 *
 * <p>Stateless and thread-safe. {@link #decode} returns empty for a malformed value, never throws.
 */
public final class MappedAddress {

    private MappedAddress() {
    }

    /** The value's length for this address: 8 for IPv4, 20 for IPv6. */
    public static int valueLength(InetAddress address) {
        return 4 + address.getAddress().length;
    }

    /** Writes the value (without attribute header) at the writer index. */
    public static void encode(ByteBuf out, InetSocketAddress address) {
        byte[] raw = address.getAddress().getAddress();
        out.writeByte(0).writeByte(raw.length == 4 ? StunAttribute.FAMILY_IPV4 : StunAttribute.FAMILY_IPV6)
                .writeShort(address.getPort()).writeBytes(raw);
    }

    /** Decodes a value; empty when the family or length is wrong. */
    public static Optional<InetSocketAddress> decode(ByteBuf value) {
        int size = addressLength(value);
        if (size < 0) {
            return Optional.empty();
        }
        int base = value.readerIndex();
        byte[] raw = new byte[size];
        value.getBytes(base + 4, raw);
        try {
            return Optional.of(new InetSocketAddress(InetAddress.getByAddress(raw), value.getUnsignedShort(base + 2)));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /**
     * The address's length in an address value of either layout (this one or {@link XorAddress}'s): 4 or 16, or
     * -1 when the family is unknown or the value's length does not fit it.
     */
    static int addressLength(ByteBuf value) {
        int len = value.readableBytes();
        if (len < 4) {
            return -1;
        }
        int family = value.getUnsignedByte(value.readerIndex() + 1);
        int size = family == StunAttribute.FAMILY_IPV4 ? 4 : family == StunAttribute.FAMILY_IPV6 ? 16 : -1;
        return size < 0 || len != 4 + size ? -1 : size;
    }
}
