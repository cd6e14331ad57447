package dev.tern.relay.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.relay.kernel.UdpSocket.Datagram;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
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
        try (VethRelay r = VethRelay.start(VethTopology.create(checksumOffload), ipv6, tmp)) {

            long toPeer = 0;
            int[][] sizesAndPadding = {{1, 3}, {7, 1}, {100, 0}, {1001, 3}, {1200, 0}};
            for (int[] sp : sizesAndPadding) {
                byte[] payload = ChannelDataFrames.payload(sp[0], sp[1]);
                r.client().send(ChannelDataFrames.frame(CHANNEL, payload, sp[1]), r.listener().address());
                Optional<Datagram> got = r.peer().receive(RECEIVE);
                assertTrue(got.isPresent(), "peer got nothing for a " + sp[0] + "-byte payload");
                assertEquals(r.relayed().address(), got.get().from());
                assertArrayEquals(payload, got.get().data());
                toPeer += sp[0];
            }
            long toClient = 0;
            int[] sizes = {0, 1, 5, 100, 1001, 1200};
            for (int size : sizes) {
                byte[] payload = ChannelDataFrames.payload(size, 4);
                r.peer().send(payload, r.relayed().address());
                Optional<Datagram> got = r.client().receive(RECEIVE);
                assertTrue(got.isPresent(), "client got nothing for a " + size + "-byte payload");
                assertEquals(r.listener().address(), got.get().from());
                assertArrayEquals(ChannelDataFrames.frame(CHANNEL, payload, 0), got.get().data());
                toClient += size;
            }
            assertTrue(r.listener().receive(NOTHING).isEmpty(), "the listener must see nothing forwarded");
            assertTrue(r.relayed().receive(NOTHING).isEmpty(), "the relayed socket must see nothing forwarded");
            assertEquals(new RouteCounters(sizesAndPadding.length, toPeer, sizes.length, toClient),
                    r.forwarder().remove(r.route()));
            assertEquals(0, UdpChecksumErrors.read(Path.of("/proc", Long.toString(r.peer().pid()), "net")),
                    "UDP checksum errors in the peer's namespace");
            assertEquals(0, UdpChecksumErrors.read(Path.of("/proc", Long.toString(r.client().pid()), "net")),
                    "UDP checksum errors in the client's namespace");

            byte[] frame = ChannelDataFrames.frame(CHANNEL, ChannelDataFrames.payload(9, 9), 0);
            r.client().send(frame, r.listener().address());
            Optional<Datagram> atListener = r.listener().receive(RECEIVE);
            assertTrue(atListener.isPresent(), "after remove, the listener (user space) gets ChannelData");
            assertArrayEquals(frame, atListener.get().data());
            assertTrue(r.peer().receive(NOTHING).isEmpty());
        }
    }

    @ParameterizedTest(name = "ipv6={0}")
    @CsvSource({"false", "true"})
    void leavesOffHostTrafficToUserSpaceWhenForwardingIsOff(boolean ipv6, @TempDir Path tmp) throws Exception {
        try (VethRelay r = VethRelay.start(VethTopology.create(true, false), ipv6, tmp)) {
            byte[] payload = ChannelDataFrames.payload(40, 1);
            byte[] frame = ChannelDataFrames.frame(CHANNEL, payload, 0);

            r.client().send(frame, r.listener().address());
            Optional<Datagram> atListener = r.listener().receive(RECEIVE);
            assertTrue(atListener.isPresent(), "bpf_fib_lookup refuses (forwarding off): user space gets it");
            assertArrayEquals(frame, atListener.get().data());
            r.peer().send(payload, r.relayed().address());
            Optional<Datagram> atRelayed = r.relayed().receive(RECEIVE);
            assertTrue(atRelayed.isPresent());
            assertArrayEquals(payload, atRelayed.get().data());
            assertTrue(r.peer().receive(NOTHING).isEmpty());
            assertTrue(r.client().receive(NOTHING).isEmpty());
            assertEquals(RouteCounters.ZERO, r.forwarder().remove(r.route()));
        }
    }

    @Test
    void keepsAZeroIpv4ChecksumZeroBothWays(@TempDir Path tmp) throws Exception {
        try (VethRelay r = VethRelay.start(VethTopology.create(false), false, tmp)) {
            r.client().sendWithoutChecksums();
            r.peer().sendWithoutChecksums();
            byte[] payload = ChannelDataFrames.payload(21, 6);
            r.client().send(ChannelDataFrames.frame(CHANNEL, payload, 3), r.listener().address());
            Optional<Datagram> atPeer = r.peer().receive(RECEIVE);
            assertTrue(atPeer.isPresent(), "peer got nothing: a zero checksum was turned into a wrong one");
            assertArrayEquals(payload, atPeer.get().data());
            r.peer().send(payload, r.relayed().address());
            Optional<Datagram> atClient = r.client().receive(RECEIVE);
            assertTrue(atClient.isPresent(), "client got nothing: a zero checksum was turned into a wrong one");
            assertArrayEquals(ChannelDataFrames.frame(CHANNEL, payload, 0), atClient.get().data());
            assertEquals(new RouteCounters(1, 21, 1, 21), r.forwarder().remove(r.route()));
        }
    }

    /** The relay's sockets in this namespace, the client and peer agents in theirs, the forwarder and its route. */
    private record VethRelay(VethTopology net, UdpSocket listener, UdpSocket relayed, NamespacedUdpAgent client,
                             NamespacedUdpAgent peer, KernelForwarder forwarder, ChannelRoute route)
            implements AutoCloseable {

        static VethRelay start(VethTopology net, boolean ipv6, Path tmp) throws Exception {
            List<AutoCloseable> opened = new ArrayList<>(List.of(net));
            try {
                Path script = NamespacedUdpAgent.script(tmp);
                UdpSocket listener = add(opened, new UdpSocket(net.relayTowardsClient(ipv6)));
                UdpSocket relayed = add(opened, new UdpSocket(net.relayTowardsPeer(ipv6)));
                NamespacedUdpAgent client = add(opened, new NamespacedUdpAgent(net.clientNs(), net.client(ipv6),
                        script));
                NamespacedUdpAgent peer = add(opened, new NamespacedUdpAgent(net.peerNs(), net.peer(ipv6), script));
                KernelForwarder forwarder = add(opened, KernelForwarder.open(List.of(net.clientSide(),
                        net.peerSide())));
                ChannelRoute route = new ChannelRoute(client.address(), listener.address(), relayed.address(),
                        peer.address(), CHANNEL);
                forwarder.install(route, Duration.ofMinutes(1).toNanos());
                return new VethRelay(net, listener, relayed, client, peer, forwarder, route);
            } catch (Exception | Error e) {
                closeAll(opened);
                throw e;
            }
        }

        private static <T extends AutoCloseable> T add(List<AutoCloseable> opened, T resource) {
            opened.add(resource);
            return resource;
        }

        private static void closeAll(List<AutoCloseable> opened) throws Exception {
            for (int i = opened.size() - 1; i >= 0; i--) {
                opened.get(i).close();
            }
        }

        @Override
        public void close() throws Exception {
            closeAll(List.of(net, listener, relayed, client, peer, forwarder));
        }
    }
}
