package dev.tern.stun;

import io.netty.buffer.ByteBuf;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * XOR-MAPPED-ADDRESS, XOR-PEER-ADDRESS and XOR-RELAYED-ADDRESS values (RFC 8489 section 14.2): the
 * port XOR the cookie's top half, the address XOR the cookie (and, for IPv6, the transaction id).
 *
 * <p>Stateless and thread-safe. {@link #decode} returns empty for a malformed value, never throws.
 */
public final class XorAddress {

    private XorAddress() {
    }

    /** The value's length for this address: 8 for IPv4, 20 for IPv6. */
    public static int valueLength(InetAddress address) {
        return address instanceof Inet4Address ? 8 : 20;
    }

    /** Writes the value (without attribute header) at the writer index. */
    public static void encode(ByteBuf out, InetSocketAddress address, TransactionId tid) {
        InetAddress ip = address.getAddress();
        byte[] raw = ip.getAddress();
        out.writeByte(0);
        out.writeByte(raw.length == 4 ? StunAttribute.FAMILY_IPV4 : StunAttribute.FAMILY_IPV6);
        out.writeShort(address.getPort() ^ (StunMessage.MAGIC_COOKIE >>> 16));
        byte[] mask = mask(tid);
        for (int i = 0; i < raw.length; i++) {
            out.writeByte(raw[i] ^ mask[i]);
        }
    }

    /** Decodes a value; empty when the family or length is wrong. */
    public static Optional<InetSocketAddress> decode(ByteBuf value, TransactionId tid) {
        int size = MappedAddress.addressLength(value);
        if (size < 0) {
            return Optional.empty();
        }
        int base = value.readerIndex();
        int port = value.getUnsignedShort(base + 2) ^ (StunMessage.MAGIC_COOKIE >>> 16);
        byte[] mask = mask(tid);
        byte[] raw = new byte[size];
        for (int i = 0; i < size; i++) {
            raw[i] = (byte) (value.getByte(base + 4 + i) ^ mask[i]);
        }
        try {
            // getByAddress keeps ::ffff:a.b.c.d as an Inet4Address; the peer filter unwraps other forms.
            return Optional.of(new InetSocketAddress(InetAddress.getByAddress(raw), port));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static byte[] mask(TransactionId tid) {
        byte[] mask = new byte[16];
        int c = StunMessage.MAGIC_COOKIE;
        mask[0] = (byte) (c >>> 24);
        mask[1] = (byte) (c >>> 16);
        mask[2] = (byte) (c >>> 8);
        mask[3] = (byte) c;
        System.arraycopy(tid.toBytes(), 0, mask, 4, 12);
        return mask;
    }
}
