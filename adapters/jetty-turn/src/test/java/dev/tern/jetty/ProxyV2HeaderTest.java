package dev.tern.jetty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ProxyV2HeaderTest {

    private static final byte[] SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    @Test
    void namesAnIpv4ClientAndServerWithTheirPorts() throws Exception {
        ByteBuffer expected = ByteBuffer.allocate(28).put(SIGNATURE).put((byte) 0x21).put((byte) 0x11)
                .putShort((short) 12).put(new byte[] {(byte) 192, 0, 2, 7}).put(new byte[] {127, 0, 0, 1})
                .putShort((short) 50000).putShort((short) 443).flip();
        assertArrayEquals(bytes(expected), bytes(ProxyV2Header.of(
                new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 50000),
                new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 443))));
    }

    @Test
    void writesAnIpv4MappedClientAsIpv4AndMixedFamiliesAsIpv6() throws Exception {
        byte[] mapped = bytes(ProxyV2Header.of(new InetSocketAddress(InetAddress.getByName("::ffff:192.0.2.7"), 1),
                new InetSocketAddress(InetAddress.getByName("::ffff:127.0.0.1"), 2)));
        assertArrayEquals(new byte[] {0x21, 0x11, 0, 12}, Arrays.copyOfRange(mapped, 12, 16));
        byte[] mixed = bytes(ProxyV2Header.of(new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 1),
                new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 2)));
        assertArrayEquals(new byte[] {0x21, 0x21, 0, 36}, Arrays.copyOfRange(mixed, 12, 16));
        byte[] widenedServer = Arrays.copyOfRange(mixed, 32, 48);
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 127, 0, 0, 1},
                widenedServer);
    }
}
