package dev.tern.jetty;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The PROXY protocol version 2 header (HAProxy's proxy-protocol.txt, section 2.2) for a TCP connection: the
 * 12-byte signature, {@code PROXY} over TCP, and the client's and the server's address and port, so the relay's
 * quotas, deny list and logs see the client rather than this bridge. Both addresses must be of one family; an
 * IPv4 client on an IPv6 socket ({@code ::ffff:a.b.c.d}) is written as IPv4. Stateless.
 */
final class ProxyV2Header {

    private static final byte[] SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    private static final byte VERSION_2_PROXY = 0x21;
    private static final byte TCP_OVER_IPV4 = 0x11;
    private static final byte TCP_OVER_IPV6 = 0x21;

    /** The longest header this writes (IPv6). */
    static final int MAX_LENGTH = 16 + 36;

    private ProxyV2Header() {
    }

    /** The header naming {@code client} as the source and {@code server} as the destination, ready to read. */
    static ByteBuffer of(InetSocketAddress client, InetSocketAddress server) {
        byte[] source = plain(client.getAddress());
        byte[] destination = plain(server.getAddress());
        if (source.length != destination.length) {
            // one family for both: the relay only reads the source, so widen IPv4 to IPv4-mapped IPv6
            source = widen(source);
            destination = widen(destination);
        }
        ByteBuffer header = ByteBuffer.allocate(16 + 2 * source.length + 4);
        header.put(SIGNATURE).put(VERSION_2_PROXY).put(source.length == 4 ? TCP_OVER_IPV4 : TCP_OVER_IPV6)
                .putShort((short) (2 * source.length + 4)).put(source).put(destination)
                .putShort((short) client.getPort()).putShort((short) server.getPort());
        return header.flip();
    }

    private static byte[] plain(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address && isV4Mapped(bytes)) {
            byte[] v4 = new byte[4];
            System.arraycopy(bytes, 12, v4, 0, 4);
            return v4;
        }
        return bytes;
    }

    private static boolean isV4Mapped(byte[] v6) {
        for (int i = 0; i < 10; i++) {
            if (v6[i] != 0) {
                return false;
            }
        }
        return v6[10] == (byte) 0xFF && v6[11] == (byte) 0xFF;
    }

    private static byte[] widen(byte[] bytes) {
        if (bytes.length == 16) {
            return bytes;
        }
        byte[] v6 = new byte[16];
        v6[10] = (byte) 0xFF;
        v6[11] = (byte) 0xFF;
        System.arraycopy(bytes, 0, v6, 12, 4);
        return v6;
    }
}
