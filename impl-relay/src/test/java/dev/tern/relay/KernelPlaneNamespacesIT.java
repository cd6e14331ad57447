package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.PolicyEvaluator;
import dev.tern.stun.ChannelNumbers;
import dev.tern.relay.kernel.VethTopology;
import dev.tern.relay.plane.DataPlaneMode;
import dev.tern.spi.RelayListener.Plane;
import dev.tern.testing.Processes;
import dev.tern.testing.coturn.TurnutilsPeer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The kernel plane off loopback: coturn's uclient in a client namespace and its echo peer in a peer namespace,
 * each joined to the relay's namespace by a veth pair ({@link VethTopology}). The relay listens on the client pair
 * and relays on the peer pair, so the kernel forwards between two real interfaces. Needs root, as CI has.
 */
class KernelPlaneNamespacesIT {

    @Test
    void uclientInOneNamespaceReachesAPeerInAnotherThroughTheKernel() throws Exception {
        uclientThroughTheKernel(false);
    }

    /**
     * The relay listening on the wildcard address 0.0.0.0: the program attaches to every up Ethernet interface, the
     * client pair's among them, and each route takes the address the client's packets carry, not the wildcard.
     */
    @Test
    void aRelayListeningOnTheWildcardAddressForwardsThroughTheKernelToo() throws Exception {
        uclientThroughTheKernel(true);
    }

    private static void uclientThroughTheKernel(boolean wildcard) throws Exception {
        Processes.require("turnutils_uclient", Uclient.INSTALL);
        Processes.require("turnutils_peer", Uclient.INSTALL);
        Process echo = null;
        try (VethTopology namespaces = VethTopology.create(true)) {
            String peerHost = namespaces.peer(false).getHostAddress();
            String relayTowardsClient = namespaces.relayTowardsClient(false).getHostAddress();
            int echoPort = 40_000 + new java.security.SecureRandom().nextInt(20_000);
            echo = Processes.start(List.of("ip", "netns", "exec", namespaces.peerNs(), "turnutils_peer", "-L",
                    peerHost, "-p", Integer.toString(echoPort)));
            TurnutilsPeer.awaitEcho(new InetSocketAddress(namespaces.relayTowardsPeer(false), 0),
                    new InetSocketAddress(peerHost, echoPort), Duration.ofSeconds(10));
            String listenHost = wildcard ? "0.0.0.0" : relayTowardsClient;
            RelayConfig config = RelayConfig.builder(RelayFixture.REALM)
                    .listen("udp://" + listenHost + ":0")
                    .relayAddress(namespaces.relayTowardsPeer(false).getHostAddress())
                    .ports("40000-60000")
                    .allowedPeers(peerHost + "/32")
                    .threads(2)
                    .dataPlane(DataPlaneMode.KERNEL)
                    .channelNumbers(ChannelNumbers.COTURN)
                    .build();
            try (RelayFixture relay = RelayFixture.start(config,
                    PolicyEvaluator.PERMISSIVE)) {
                String reason = relay.server().dataPlane().reason();
                assertEquals(Plane.KERNEL, relay.server().dataPlane().plane(), reason);
                assertTrue(reason.contains(namespaces.clientSide()) && reason.contains(namespaces.peerSide()),
                        "attached to both veths: " + reason);
                PlaneTraffic traffic = new PlaneTraffic();
                relay.server().addListener(traffic);
                Processes.Finished result = Processes.run(List.of("ip", "netns", "exec",
                        namespaces.clientNs(), "turnutils_uclient", "-c", "-m", "4", "-n", "250", "-l", "160", "-z",
                        "5", "-W", RelayFixture.SECRET, "-u", "alice", "-e", peerHost, "-r", Integer.toString(echoPort),
                        "-p", Integer.toString(relay.port()), relayTowardsClient), null, Duration.ofSeconds(90));
                Uclient.assertNothingLost(result, 1000);
                traffic.assertKernelCarriedAll(1000, 160);
            }
        } finally {
            Processes.stop(echo);
        }
    }
}
