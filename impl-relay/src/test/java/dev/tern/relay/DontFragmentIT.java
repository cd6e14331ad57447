package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.PolicyEvaluator;
import dev.tern.turn.client.StunResponse;
import dev.tern.turn.client.TurnClient;
import dev.tern.stun.StunAttribute;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The DF bit of relayed datagrams, read off the wire (RFC 8656 section 14): set only on the relay socket of
 * an allocation whose Allocate carried DONT-FRAGMENT, for ChannelData and Send indications alike.
 */
class DontFragmentIT {

    private static final int DF = 0x4000;

    /**
     * The flags and fragment offset of the IPv4 header a relayed datagram left with, read on the veth to the
     * peers' namespace (no one else's TC program there, and the datagram crosses a real link).
     */
    private static int flagsOfRelayed(TurnClient client, VethNamespace peers, int peerPort, boolean channel)
            throws Exception {
        InetSocketAddress peerAddress = new InetSocketAddress(peers.namespaceAddress(), peerPort);
        byte[] data = "is DF set?".getBytes(StandardCharsets.UTF_8);
        try (PacketCapture capture = PacketCapture.firstUdpDatagramTo(peers.hostLink(), peerPort)) {
            assertTrue(channel ? client.channelBind(0x4001, peerAddress).success()
                    : client.createPermission(peerAddress).success());
            // Sent again while tcpdump has not shown it, so a capture that starts late cannot fail the test.
            for (int attempt = 0; attempt < 10 && (attempt == 0 || !capture.captured(Duration.ofSeconds(1)));
                    attempt++) {
                if (channel) {
                    client.sendChannelData(0x4001, data);
                } else {
                    client.sendIndication(peerAddress, data);
                }
            }
            assertTrue(capture.captured(Duration.ofSeconds(5)), "tcpdump saw none of the relayed datagrams");
            byte[] ip = capture.packet();
            assertEquals(4, (ip[0] & 0xFF) >>> 4, "an IPv4 header");
            return ((ip[6] & 0xFF) << 8) | (ip[7] & 0xFF);
        }
    }

    /** A relay listening on loopback that relays on the veth to {@code peers}, which it may reach. */
    private static RelayFixture relayTo(VethNamespace peers) {
        return RelayFixture.start(RelayConfig.builder(RelayFixture.REALM)
                .listen("udp://127.0.0.1:0")
                .relayAddress(peers.hostAddress().getHostAddress())
                .ports("40000-60000")
                .allowedPeers(peers.namespaceAddress().getHostAddress())
                .threads(2)
                .build(), PolicyEvaluator.PERMISSIVE);
    }

    @Test
    void relayedDatagramsCarryNoDfUnlessTheClientAskedForIt() throws Exception {
        List<VethNamespace> namespaces = VethNamespace.pair();
        try (VethNamespace unused = namespaces.get(0); VethNamespace peers = namespaces.get(1);
                RelayFixture relay = relayTo(peers); TurnClient client = relay.client("@a:tern.test")) {
            assertTrue(client.allocate().success());
            assertEquals(0, flagsOfRelayed(client, peers, 5001, false) & DF, "Send indication without DONT-FRAGMENT");
            assertEquals(0, flagsOfRelayed(client, peers, 5002, true) & DF, "ChannelData without DONT-FRAGMENT");
        }
    }

    @Test
    void relayedDatagramsCarryDfWhenTheAllocateHadDontFragment() throws Exception {
        List<VethNamespace> namespaces = VethNamespace.pair();
        try (VethNamespace unused = namespaces.get(0); VethNamespace peers = namespaces.get(1);
                RelayFixture relay = relayTo(peers); TurnClient client = relay.client("@a:tern.test");
                TurnClient other = relay.client("@b:tern.test")) {
            StunResponse allocated = client.allocate(w -> w.bytes(StunAttribute.DONT_FRAGMENT, new byte[0]));
            assertTrue(allocated.success(), "allocate: " + allocated.errorCode());
            assertTrue(other.allocate().success());
            assertEquals(DF, flagsOfRelayed(client, peers, 5001, false) & DF, "Send indication, DONT-FRAGMENT");
            assertEquals(DF, flagsOfRelayed(client, peers, 5002, true) & DF, "ChannelData, DONT-FRAGMENT");
            assertEquals(0, flagsOfRelayed(other, peers, 5003, false) & DF,
                    "per relay socket: the other allocation's has none");
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
