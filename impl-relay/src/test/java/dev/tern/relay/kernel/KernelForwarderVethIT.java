package dev.tern.relay.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.relay.kernel.UdpSocket.Datagram;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The TC program forwarding off loopback: a client in one network namespace and a peer in another, each behind a
 * veth pair, the relay's sockets and forwarder in this namespace. The kernel redirects between the two veths; the
 * relay's sockets receive nothing. With checksum offload off on every veth end, the receiving stacks verify each
 * UDP checksum in software, so a wrong one would be dropped (and counted in UdpInCsumErrors).
 */
class KernelForwarderVethIT {

    private static final Duration RECEIVE = Duration.ofSeconds(3);
    private static final Duration NOTHING = Duration.ofMillis(300);
    private static final int CHANNEL = 0x4123;

    @ParameterizedTest(name = "ipv6={0}, checksum offload={1}")
    @CsvSource({"false,true", "false,false", "true,true", "true,false"})
    void forwardsBetweenNamespacesBothWays(boolean ipv6, boolean checksumOffload, @TempDir Path tmp)
            throws Exception {
        Path script = NamespacedUdpAgent.script(tmp);
        try (VethTopology net = VethTopology.create(checksumOffload);
             UdpSocket listener = new UdpSocket(net.relayTowardsClient(ipv6));
             UdpSocket relayed = new UdpSocket(net.relayTowardsPeer(ipv6));
             NamespacedUdpAgent client = new NamespacedUdpAgent(net.clientNs(), net.client(ipv6), script);
             NamespacedUdpAgent peer = new NamespacedUdpAgent(net.peerNs(), net.peer(ipv6), script);
             KernelForwarder forwarder = KernelForwarder.open(List.of(net.clientSide(), net.peerSide()))) {
            ChannelRoute route = new ChannelRoute(client.address(), listener.address(), relayed.address(),
                    peer.address(), CHANNEL);
            forwarder.install(route, Duration.ofMinutes(1).toNanos());

            long toPeer = 0;
            int[][] sizesAndPadding = {{1, 3}, {7, 1}, {100, 0}, {1001, 3}, {1200, 0}};
            for (int[] sp : sizesAndPadding) {
                byte[] payload = ChannelDataFrames.payload(sp[0], sp[1]);
                client.send(ChannelDataFrames.frame(CHANNEL, payload, sp[1]), listener.address());
                Optional<Datagram> got = peer.receive(RECEIVE);
                assertTrue(got.isPresent(), "peer got nothing for a " + sp[0] + "-byte payload");
                assertEquals(relayed.address(), got.get().from());
                assertArrayEquals(payload, got.get().data());
                toPeer += sp[0];
            }
            long toClient = 0;
            int[] sizes = {0, 1, 5, 100, 1001, 1200};
            for (int size : sizes) {
                byte[] payload = ChannelDataFrames.payload(size, 4);
                peer.send(payload, relayed.address());
                Optional<Datagram> got = client.receive(RECEIVE);
                assertTrue(got.isPresent(), "client got nothing for a " + size + "-byte payload");
                assertEquals(listener.address(), got.get().from());
                assertArrayEquals(ChannelDataFrames.frame(CHANNEL, payload, 0), got.get().data());
                toClient += size;
            }
            assertTrue(listener.receive(NOTHING).isEmpty(), "the listener must see nothing the kernel forwarded");
            assertTrue(relayed.receive(NOTHING).isEmpty(), "the relayed socket must see nothing the kernel forwarded");
            assertEquals(new RouteCounters(sizesAndPadding.length, toPeer, sizes.length, toClient),
                    forwarder.remove(route));
            assertEquals(0, UdpChecksumErrors.read(Path.of("/proc", Long.toString(peer.pid()), "net")),
                    "UDP checksum errors in the peer's namespace");
            assertEquals(0, UdpChecksumErrors.read(Path.of("/proc", Long.toString(client.pid()), "net")),
                    "UDP checksum errors in the client's namespace");

            byte[] frame = ChannelDataFrames.frame(CHANNEL, ChannelDataFrames.payload(9, 9), 0);
            client.send(frame, listener.address());
            Optional<Datagram> atListener = listener.receive(RECEIVE);
            assertTrue(atListener.isPresent(), "after remove, the listener (user space) gets ChannelData");
            assertArrayEquals(frame, atListener.get().data());
            assertTrue(peer.receive(NOTHING).isEmpty());
        }
    }
}
