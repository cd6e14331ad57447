package dev.tern.relay;


import dev.tern.spi.PolicyEvaluator;
import dev.tern.stun.ChannelNumbers;
import dev.tern.testing.Processes;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * coturn's {@code turnutils_uclient} asking for an IPv6 allocation ({@code -x}, REQUESTED-ADDRESS-FAMILY)
 * from a relay with relay addresses 127.0.0.1 and ::1, relaying to a {@code turnutils_peer} echo peer on
 * ::1. Its dual allocations ({@code -Z}) are not tried: coturn 4.6 sends ADDITIONAL-ADDRESS-FAMILY as
 * 0x8032, a code point from before RFC 8656 (which assigned 0x8000), so an RFC 8656 relay ignores it.
 */
class DualStackUclientIT {

    private static RelayFixture relay;
    private static Process peer6;
    private static int peerPort;

    @BeforeAll
    static void startRelayAndPeer() throws Exception {
        Processes.require("turnutils_uclient", Uclient.INSTALL);
        Processes.require("turnutils_peer", Uclient.INSTALL);
        relay = RelayFixture.start(RelayConfig.builder(RelayFixture.REALM)
                .listen("udp://127.0.0.1:0")
                .relayAddressIpv6("::1")
                .ports("40000-60000")
                .allowedPeers("127.0.0.1", "::1")
                .threads(2)
                .channelNumbers(ChannelNumbers.COTURN)
                .build(), PolicyEvaluator.PERMISSIVE);
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getByName("::1"))) {
            peerPort = probe.getLocalPort();
        }
        peer6 = Processes.start(List.of("turnutils_peer", "-L", "::1", "-p", Integer.toString(peerPort)));
        Uclient.awaitEcho(new InetSocketAddress(InetAddress.getByName("::1"), peerPort));
    }

    @AfterAll
    static void stopAll() throws Exception {
        Processes.stop(peer6);
        if (relay != null) {
            relay.close();
        }
    }

    private static final String[] LOAD = {"-m", "4", "-n", "250", "-l", "160", "-z", "5"};

    @Test
    void uclientRelaysToAnIpv6PeerThroughAnIpv6Allocation() throws Exception {
        Uclient.assertNothingLost(Uclient.run(relay.port(), "::1", peerPort, Uclient.with(LOAD, "-x")), 1000);
    }
}
