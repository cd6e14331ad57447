package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.PolicyEvaluator;
import dev.tern.turn.client.TurnClient;
import dev.tern.stun.ChannelNumbers;
import dev.tern.relay.plane.DataPlaneMode;
import dev.tern.spi.RelayListener.Direction;
import dev.tern.spi.RelayListener.Plane;
import dev.tern.testing.Poll;
import dev.tern.testing.Processes;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The relay with {@code data_plane: kernel} on loopback: coturn's uclient relays over channels through the
 * kernel and the counters match what it sent; Refresh 0 and the allocation's expiry stop kernel forwarding
 * within 1 s; a peer on the deny list is never reached. Needs root (CAP_BPF, CAP_NET_ADMIN), as CI has.
 */
class KernelPlaneRelayIT {

    private static final int CHANNEL = 0x4000;

    private DatagramSocket peer;
    private InetSocketAddress peerAddress;

    @BeforeEach
    void openPeer() throws Exception {
        peer = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        peer.setSoTimeout(300);
        peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
    }

    @AfterEach
    void closePeer() {
        peer.close();
    }

    /**
     * A kernel-plane relay on loopback accepting coturn's channel numbers (uclient uses up to 0x7FFF); loopback
     * peers allowed when {@code allowLoopback}.
     */
    private static RelayFixture kernelRelay(boolean allowLoopback, Duration lifetime) {
        RelayConfig config = RelayConfig.builder(RelayFixture.REALM)
                .listen("udp://127.0.0.1:0")
                .ports("40000-60000")
                .allowedPeers(allowLoopback ? List.of("127.0.0.1") : null)
                .defaultAllocationLifetime(lifetime)
                .maxAllocationLifetime(lifetime)
                .threads(2)
                .dataPlane(DataPlaneMode.KERNEL)
                .channelNumbers(ChannelNumbers.COTURN)
                .build();
        return RelayFixture.start(config, PolicyEvaluator.PERMISSIVE);
    }

    private byte[] atPeer() throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        try {
            peer.receive(p);
            return java.util.Arrays.copyOf(p.getData(), p.getLength());
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Poll.until(what, Duration.ofSeconds(5), condition);
    }

    @Test
    void uclientRelaysOverChannelsThroughTheKernelAndTheCountersMatch() throws Exception {
        Processes.require("turnutils_uclient", Uclient.INSTALL);
        Processes.require("turnutils_peer", Uclient.INSTALL);
        int echoPort;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            echoPort = probe.getLocalPort();
        }
        Process echo = Processes.start(List.of("turnutils_peer", "-L", "127.0.0.1", "-p",
                Integer.toString(echoPort)));
        try (RelayFixture relay = kernelRelay(true, null)) {
            Uclient.awaitEcho(new InetSocketAddress(InetAddress.getLoopbackAddress(), echoPort));
            assertEquals(Plane.KERNEL, relay.server().dataPlane().plane(), relay.server().dataPlane().reason());
            PlaneTraffic traffic = new PlaneTraffic();
            relay.server().addListener(traffic);
            int clients = 4;
            int messages = 250;
            Uclient.assertNothingLost(Uclient.run(relay.port(), echoPort, "-c", "-m", Integer.toString(clients),
                    "-n", Integer.toString(messages), "-l", "160", "-z", "5"), clients * messages);
            long sent = (long) clients * messages;
            traffic.assertKernelCarriedAll(sent, 160);
            assertEquals(2 * sent, relay.server().dataPlane().kernel().packets());
            assertEquals(0, relay.server().dataPlane().user().packets());
        } finally {
            Processes.stop(echo);
        }
    }

    /** Allocates, binds the channel to the peer and proves the kernel carries it. */
    private static TurnClient boundClient(RelayFixture relay, InetSocketAddress peerAddress,
            KernelPlaneRelayIT test) throws Exception {
        TurnClient client = relay.client("@alice:tern.test");
        assertTrue(client.allocate().success());
        assertTrue(client.channelBind(CHANNEL, peerAddress).success());
        client.sendChannelData(CHANNEL, new byte[] {1, 2, 3});
        assertNotNull(test.atPeer(), "relayed while bound");
        await(() -> relay.server().dataPlane().kernel().packets() >= 1, "the kernel carried it");
        return client;
    }

    /**
     * IPv6 end to end at relay level: a client on ::1 allocates an IPv6 relayed address, binds a channel to a peer on
     * ::1, and the kernel carries ChannelData both ways (the user plane's count stays 0).
     */
    @Test
    void anIpv6ClientAndPeerOnLoopbackAreForwardedByTheKernelBothWays() throws Exception {
        InetAddress ipv6Loopback = InetAddress.getByName("::1");
        RelayConfig config = RelayConfig.builder(RelayFixture.REALM)
                .listen("udp://[::1]:0")
                .relayAddress("::1")
                .ports("40000-60000")
                .allowedPeers("::1")
                .threads(2)
                .dataPlane(DataPlaneMode.KERNEL)
                .build();
        try (RelayFixture relay = RelayFixture.start(config, PolicyEvaluator.PERMISSIVE);
                DatagramSocket peer6 = new DatagramSocket(new InetSocketAddress(ipv6Loopback, 0));
                TurnClient client = relay.client("@alice:tern.test")) {
            assertEquals(Plane.KERNEL, relay.server().dataPlane().plane(), relay.server().dataPlane().reason());
            peer6.setSoTimeout(3000);
            InetSocketAddress peer6Address = (InetSocketAddress) peer6.getLocalSocketAddress();
            dev.tern.turn.client.StunResponse allocated = client.allocateFamily(
                    dev.tern.stun.StunAttribute.FAMILY_IPV6);
            assertTrue(allocated.success(), "allocate: " + allocated.errorCode());
            InetSocketAddress relayed = allocated.grant().relayed().orElseThrow();
            assertEquals(ipv6Loopback, relayed.getAddress());
            assertTrue(client.channelBind(CHANNEL, peer6Address).success());
            client.sendChannelData(CHANNEL, new byte[] {1, 2, 3});
            DatagramPacket atPeer6 = new DatagramPacket(new byte[64], 64);
            peer6.receive(atPeer6);
            assertEquals(relayed, atPeer6.getSocketAddress(), "sent from the IPv6 relayed address");
            assertEquals("[1, 2, 3]", java.util.Arrays.toString(java.util.Arrays.copyOf(atPeer6.getData(),
                    atPeer6.getLength())));
            peer6.send(new DatagramPacket(new byte[] {4, 5}, 2, relayed));
            TurnClient.Received back = client.receive();
            assertEquals(CHANNEL, back.channel());
            assertEquals("[4, 5]", java.util.Arrays.toString(back.data()));
            await(() -> relay.server().dataPlane().kernel().packets() >= 2, "the kernel carried both ways");
            assertEquals(0, relay.server().dataPlane().user().packets(), "nothing went through user space");
        }
    }

    @Test
    void refreshZeroStopsKernelForwardingAtOnce() throws Exception {
        try (RelayFixture relay = kernelRelay(true, null);
                TurnClient client = boundClient(relay, peerAddress, this)) {
            assertTrue(client.refresh(0).success());
            client.sendChannelData(CHANNEL, new byte[] {4, 5, 6});
            assertNull(atPeer(), "after Refresh 0 nothing reaches the peer");
            assertNull(atPeer());
        }
    }

    @Test
    void allocationExpiryStopsKernelForwardingWithinOneSecond() throws Exception {
        try (RelayFixture relay = kernelRelay(true, Duration.ofSeconds(2))) {
            long start = System.nanoTime();
            try (TurnClient client = boundClient(relay, peerAddress, this)) {
                TimeUnit.NANOSECONDS.sleep(start + TimeUnit.MILLISECONDS.toNanos(3000) - System.nanoTime());
                client.sendChannelData(CHANNEL, new byte[] {4, 5, 6});
                assertNull(atPeer(), "one second after the allocation expired nothing reaches the peer");
            }
        }
    }

    @Test
    void aUserOverItsBitrateGoesBackToUserSpaceWhereTheExcessIsDropped() throws Exception {
        RecordingListener events = new RecordingListener();
        // 8 kbit/s = 1000 bytes/s with a 16 KiB burst: the kernel carries a 40 KB burst (it enforces no rate); the
        // next traffic report charges it to the bucket, which goes into debt, and the routes come out.
        try (RelayPolicyTest.FixedPolicy policy = new RelayPolicyTest.FixedPolicy(dev.tern.spi.TurnPolicy.builder()
                        .maxBitrate(dev.tern.spi.Bitrate.parse("8k")).build());
                RelayFixture relay = RelayFixture.start(RelayFixture.config(List.of("127.0.0.1"), null)
                        .toBuilder().dataPlane(dev.tern.relay.plane.DataPlaneMode.KERNEL).build(), policy);
                TurnClient client = relay.client("@alice:tern.test")) {
            relay.server().addListener(events);
            assertTrue(client.allocate().success());
            assertTrue(client.channelBind(CHANNEL, peerAddress).success());
            for (int i = 0; i < 40; i++) {
                client.sendChannelData(CHANNEL, new byte[1000]);
            }
            assertEquals(40, drainPeer(), "the kernel carried the whole burst");
            await(() -> relay.server().dataPlane().kernel().packets() >= 40, "the kernel's count was read");
            Thread.sleep(200);
            for (int i = 0; i < 20; i++) {
                client.sendChannelData(CHANNEL, new byte[1000]);
            }
            assertEquals(0, drainPeer(), "over its rate, the user's packets meet the token bucket in user space");
            await(() -> events.rateLimitedPackets.get() == 20, "the drops were counted");
            assertEquals(40, relay.server().dataPlane().kernel().packets());
        }
    }

    private int drainPeer() throws Exception {
        int received = 0;
        while (atPeer() != null) {
            received++;
        }
        return received;
    }

    @Test
    void aPeerOnTheDenyListIsNeverReachedThroughTheKernel() throws Exception {
        try (RelayFixture relay = kernelRelay(false, null);
                TurnClient client = relay.client("@alice:tern.test")) {
            assertEquals(Plane.KERNEL, relay.server().dataPlane().plane());
            assertTrue(client.allocate().success());
            assertEquals(403, client.channelBind(CHANNEL, peerAddress).errorCode());
            assertEquals(403, client.createPermission(peerAddress).errorCode());
            for (int i = 0; i < 5; i++) {
                client.sendChannelData(CHANNEL, new byte[] {1, 2, 3});
            }
            assertNull(atPeer(), "the loopback peer is never reached");
            Thread.sleep(1200);
            assertEquals(0, relay.server().dataPlane().kernel().packets());
        }
    }
}
