package dev.tern.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.jetty.server.ConnectionFactory.Detecting.Detection;
import org.junit.jupiter.api.Test;

class TurnHandOffTest {

    private final TurnHandOff handOff = new TurnHandOff(new InetSocketAddress("127.0.0.1", 3478));

    private static ByteBuffer bytes(int... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length);
        for (int v : values) {
            b.put((byte) v);
        }
        return b.flip();
    }

    @Test
    void recognizesAStunHeaderAndChannelDataWithoutConsumingThem() {
        ByteBuffer stun = bytes(0x00, 0x03, 0x00, 0x00, 0x21, 0x12, 0xA4, 0x42, 1, 2, 3, 4);
        assertEquals(Detection.RECOGNIZED, handOff.detect(stun));
        assertEquals(12, stun.remaining(), "detection reads without consuming");
        assertEquals(Detection.RECOGNIZED, handOff.detect(bytes(0x40, 0x01, 0x00, 0x04, 1, 2, 3, 4)));
    }

    @Test
    void leavesHttpAndGarbageToJettyAndWaitsForMoreWhileShort() {
        assertEquals(Detection.NOT_RECOGNIZED, handOff.detect(ByteBuffer.wrap(
                "GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII))));
        assertEquals(Detection.NOT_RECOGNIZED, handOff.detect(ByteBuffer.wrap(
                "PRI * HTTP/2.0\r\n".getBytes(StandardCharsets.US_ASCII))));
        assertEquals(Detection.NOT_RECOGNIZED, handOff.detect(bytes(0x00, 0x01, 0x00, 0x00, 9, 9, 9, 9)),
                "no magic cookie");
        assertEquals(Detection.NOT_RECOGNIZED, handOff.detect(bytes(0xFF, 0x00)));
        assertEquals(Detection.NEED_MORE_BYTES, handOff.detect(bytes()));
        assertEquals(Detection.NEED_MORE_BYTES, handOff.detect(bytes(0x00, 0x01, 0x00)));
        assertEquals(Detection.NEED_MORE_BYTES, handOff.detect(ByteBuffer.wrap("GE".getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void refusesAnUnresolvedRelayAndANonPositiveIdleTimeoutNamingThem() {
        assertEquals("relay address 127.0.0.1.invalid/<unresolved>:3478 is unresolved: give the relay's tcp:// "
                        + "listener as an IP address and port",
                assertThrows(IllegalArgumentException.class, () -> new TurnHandOff(
                        InetSocketAddress.createUnresolved("127.0.0.1.invalid", 3478))).getMessage());
        assertEquals("idleTimeout must be positive, was PT0S", assertThrows(IllegalArgumentException.class,
                () -> new TurnHandOff(new InetSocketAddress("127.0.0.1", 3478), Duration.ZERO)).getMessage());
    }
}
