package dev.tern.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Drops at UDP sockets, read from the kernel's socket tables. */
class UdpDropsTest {

    @Test
    void countsDatagramsDroppedAtAFullSocketAndNoneAtAnotherOne() throws Exception {
        try (DatagramChannel full = DatagramChannel.open(); DatagramChannel idle = DatagramChannel.open();
                DatagramChannel sender = DatagramChannel.open()) {
            full.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
            full.bind(new InetSocketAddress("127.0.0.1", 0));
            idle.bind(new InetSocketAddress("127.0.0.1", 0));
            sender.bind(new InetSocketAddress("127.0.0.1", 0));
            int fullPort = ((InetSocketAddress) full.getLocalAddress()).getPort();
            int idlePort = ((InetSocketAddress) idle.getLocalAddress()).getPort();
            UdpDrops before = UdpDrops.now();
            assertTrue(before.knows(fullPort) && before.knows(idlePort), "both sockets are in the tables");

            // Never read: a 4 KiB buffer holds a few of these, the kernel drops the rest.
            for (int i = 0; i < 500; i++) {
                sender.send(ByteBuffer.allocate(200), full.getLocalAddress());
            }
            UdpDrops after = UdpDrops.now();

            long dropped = after.since(before, Set.of(fullPort));
            assertTrue(dropped > 400 && dropped < 500, "dropped " + dropped);
            assertEquals(0, after.since(before, Set.of(idlePort)));
            assertEquals(dropped, after.since(before, Set.of(fullPort, idlePort)));
        }
    }

    @Test
    void saysUnknownForPortsWithoutASocketHere() throws Exception {
        UdpDrops now = UdpDrops.now();
        int unused = freePort();
        assertFalse(now.knows(unused));
        assertEquals(-1, now.since(now, Set.of(unused)));
    }

    @Test
    void readsTheDropsColumnAndAddsUpSocketsOnOnePort() {
        List<String> table = List.of(
                "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref"
                        + " pointer drops",
                "  101: 0100007F:0D96 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 4242 2"
                        + " 0000000000000000 7",
                "  102: 0100007F:0D96 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 4243 2"
                        + " 0000000000000000 5",
                "  103: 00000000000000000000000001000000:0D97 00000000000000000000000000000000:0000 07"
                        + " 00000000:00000000 00:00000000 00000000     0        0 4244 2 0000000000000000 1");
        UdpDrops after = UdpDrops.parse(table);
        UdpDrops before = UdpDrops.parse(List.of());
        assertEquals(12, after.since(before, Set.of(3478)));
        assertEquals(1, after.since(before, Set.of(3479)));
        assertEquals(-1, after.since(before, Set.of(3480)));
    }

    private static int freePort() throws Exception {
        try (DatagramChannel probe = DatagramChannel.open()) {
            probe.bind(new InetSocketAddress("127.0.0.1", 0));
            return ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
    }
}
