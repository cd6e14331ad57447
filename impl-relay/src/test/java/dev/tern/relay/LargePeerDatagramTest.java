package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.relay.transport.RelayPortBinder;
import dev.tern.turn.client.TurnClient;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Datagrams from peers longer than an Ethernet frame reach the client whole, up to the relay's limit
 * ({@link RelayPortBinder#MAX_PEER_DATAGRAM}); a longer one is dropped whole and counted, never cut
 * short (#16 point 2). Real loopback sockets, whose 64 KiB MTU carries such datagrams unfragmented.
 */
class LargePeerDatagramTest {

    private static byte[] payload(int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    private static DatagramSocket peer() throws Exception {
        DatagramSocket peer = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        peer.setSendBufferSize(1 << 20);
        return peer;
    }

    @Test
    void relaysA5000ByteDatagramWholeAsDataIndicationAndAsChannelData() throws Exception {
        try (RelayFixture relay = RelayFixture.loopbackPeersAllowed(); DatagramSocket peer = peer();
                TurnClient client = relay.client("@alice:tern.test")) {
            InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
            InetSocketAddress relayed = client.allocate().grant().relayed().orElseThrow();
            assertTrue(client.createPermission(peerAddress).success());
            byte[] big = payload(5000);
            peer.send(new DatagramPacket(big, big.length, relayed));
            TurnClient.Received indication = client.receive();
            assertEquals(peerAddress, indication.peer().orElseThrow());
            assertEquals(5000, indication.data().length, "not cut to 4096");
            assertArrayEquals(big, indication.data());

            assertTrue(client.channelBind(0x4001, peerAddress).success());
            peer.send(new DatagramPacket(big, big.length, relayed));
            TurnClient.Received channel = client.receive();
            assertEquals(0x4001, channel.channel());
            assertArrayEquals(big, channel.data());
        }
    }

    @Test
    void relaysTheLargestDatagramWholeAndDropsALongerOneCountingIt() throws Exception {
        RecordingListener events = new RecordingListener();
        try (RelayFixture relay = RelayFixture.loopbackPeersAllowed(); DatagramSocket peer = peer();
                TurnClient client = relay.client("@alice:tern.test")) {
            relay.server().addListener(events);
            InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
            InetSocketAddress relayed = client.allocate().grant().relayed().orElseThrow();
            assertTrue(client.createPermission(peerAddress).success());
            byte[] largest = payload(RelayPortBinder.MAX_PEER_DATAGRAM);
            peer.send(new DatagramPacket(largest, largest.length, relayed));
            assertArrayEquals(largest, client.receive().data(), "the limit itself, as a Data indication");

            byte[] tooLong = payload(RelayPortBinder.MAX_PEER_DATAGRAM + 1);
            byte[] longest = payload(65_507);
            byte[] marker = "after the long ones".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            peer.send(new DatagramPacket(tooLong, tooLong.length, relayed));
            peer.send(new DatagramPacket(longest, longest.length, relayed));
            peer.send(new DatagramPacket(marker, marker.length, relayed));
            byte[] next = client.receive().data();
            assertArrayEquals(marker, next, "dropped whole, not relayed cut short: got " + next.length + " bytes "
                    + Arrays.toString(Arrays.copyOf(next, Math.min(8, next.length))));

            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!events.events.contains("oversized 2") && System.nanoTime() < deadline) {
                Thread.sleep(50); // counters are reported once a second
            }
            assertTrue(events.events.contains("oversized 2"), events.events.toString());
        }
    }
}
