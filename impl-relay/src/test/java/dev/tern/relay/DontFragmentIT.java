package dev.tern.relay;

import static dev.tern.relay.NettyRelayServerTest.receive;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.relay.client.StunResponse;
import dev.tern.relay.client.TurnClient;
import dev.tern.relay.codec.StunAttribute;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The DF bit of relayed datagrams, read off the wire (RFC 8656 section 14): set only on the relay socket of
 * an allocation whose Allocate carried DONT-FRAGMENT, for ChannelData and Send indications alike.
 */
class DontFragmentIT {

    private static final int DF = 0x4000;

    /** The flags and fragment offset of the IPv4 header the relay sent {@code data} to a peer with. */
    private static int flagsOfRelayed(TurnClient client, boolean channel) throws Exception {
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            peer.setSoTimeout(5000);
            InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
            byte[] data = "is DF set?".getBytes(StandardCharsets.UTF_8);
            try (LoopbackCapture capture = LoopbackCapture.firstUdpDatagramTo(peerAddress.getPort())) {
                if (channel) {
                    assertTrue(client.channelBind(0x4001, peerAddress).success());
                    client.sendChannelData(0x4001, data);
                } else {
                    assertTrue(client.createPermission(peerAddress).success());
                    client.sendIndication(peerAddress, data);
                }
                assertArrayEquals(data, receive(peer, null));
                byte[] ip = capture.packet(Duration.ofSeconds(10));
                assertEquals(4, (ip[0] & 0xFF) >>> 4, "an IPv4 header");
                return ((ip[6] & 0xFF) << 8) | (ip[7] & 0xFF);
            }
        }
    }

    @Test
    void relayedDatagramsCarryNoDfUnlessTheClientAskedForIt() throws Exception {
        try (RelayFixture relay = RelayFixture.loopbackPeersAllowed(); TurnClient client = relay.client("@a:tern.test")) {
            assertTrue(client.allocate().success());
            assertEquals(0, flagsOfRelayed(client, false) & DF, "Send indication without DONT-FRAGMENT");
            assertEquals(0, flagsOfRelayed(client, true) & DF, "ChannelData without DONT-FRAGMENT");
        }
    }

    @Test
    void relayedDatagramsCarryDfWhenTheAllocateHadDontFragment() throws Exception {
        try (RelayFixture relay = RelayFixture.loopbackPeersAllowed(); TurnClient client = relay.client("@a:tern.test");
                TurnClient other = relay.client("@b:tern.test")) {
            StunResponse allocated = client.allocate(w -> w.bytes(StunAttribute.DONT_FRAGMENT, new byte[0]));
            assertTrue(allocated.success(), "allocate: " + allocated.errorCode());
            assertTrue(other.allocate().success());
            assertEquals(DF, flagsOfRelayed(client, false) & DF, "Send indication on a DONT-FRAGMENT allocation");
            assertEquals(DF, flagsOfRelayed(client, true) & DF, "ChannelData on a DONT-FRAGMENT allocation");
            assertEquals(0, flagsOfRelayed(other, false) & DF, "per relay socket: the other allocation's has none");
        }
    }

    @Test
    void aRelayThatCannotSetDfAnswersDontFragmentWith420() throws Exception {
        // NIO on Java 17 cannot set IP_MTU_DISCOVER: RFC 8656 section 7.2 makes DONT-FRAGMENT an unknown attribute then.
        try (RelayFixture relay = RelayFixture.loopbackPeersAllowedOnNio();
                TurnClient client = relay.client("@a:tern.test")) {
            StunResponse refused = client.allocate(w -> w.bytes(StunAttribute.DONT_FRAGMENT, new byte[0]));
            assertEquals(420, refused.errorCode());
            assertTrue(refused.has(StunAttribute.UNKNOWN_ATTRIBUTES), "names DONT-FRAGMENT");
            assertTrue(client.allocate().success(), "without it the allocation is made");
        }
    }
}
