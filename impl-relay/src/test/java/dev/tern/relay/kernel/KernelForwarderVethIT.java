package dev.tern.relay.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.relay.PacketCapture;
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
    private static final int IP_DF = 0x4000;

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

    /**
     * RFC 8656 section 14: the relay sets DF on what it relays to a peer only when the client's Allocate carried
     * DONT-FRAGMENT (the route's flag), never because the client's own packet carried DF (Linux UDP senders set it
     * by default). Towards the client DF is set as the listener socket sets it from user space (Linux's default
     * path MTU discovery: DF on), whatever the peer's packet carried. Read off the veths with tcpdump.
     */
    @ParameterizedTest(name = "dontFragment={0}")
    @CsvSource({"false", "true"})
    void setsIpv4DfAsTheRouteSaysNotAsTheForwardedPacketCarried(boolean dontFragment, @TempDir Path tmp)
            throws Exception {
        try (VethRelay r = VethRelay.start(VethTopology.create(true), false, tmp, dontFragment)) {
            r.client().dontFragment(true);
            r.peer().dontFragment(false);
            byte[] payload = ChannelDataFrames.payload(50, 2);

            ForwardedFlags toPeer = flagsOfForwarded(r.net().clientSide(), r.listener().address().getPort(),
                    r.net().peerSide(), r.peer().address().getPort(),
                    () -> r.client().send(ChannelDataFrames.frame(CHANNEL, payload, 0), r.listener().address()));
            assertEquals(IP_DF, toPeer.arriving() & IP_DF, "the client's ChannelData carries DF");
            assertEquals(dontFragment ? IP_DF : 0, toPeer.leaving() & IP_DF, "DF on the datagram relayed to the peer");
            assertTrue(r.peer().receive(RECEIVE).isPresent(), "the peer got the relayed datagram");

            ForwardedFlags toClient = flagsOfForwarded(r.net().peerSide(), r.relayed().address().getPort(),
                    r.net().clientSide(), r.client().address().getPort(),
                    () -> r.peer().send(payload, r.relayed().address()));
            assertEquals(0, toClient.arriving() & IP_DF, "the peer's datagram carries no DF");
            assertEquals(IP_DF, toClient.leaving() & IP_DF,
                    "DF on the ChannelData to the client, as the listener sets it");
            assertTrue(r.client().receive(RECEIVE).isPresent(), "the client got the ChannelData");

            assertTrue(r.listener().receive(NOTHING).isEmpty(), "the kernel forwarded it, not user space");
            assertTrue(r.relayed().receive(NOTHING).isEmpty(), "the kernel forwarded it, not user space");
            RouteCounters counted = r.forwarder().remove(r.route());
            assertTrue(counted.packetsToPeer() > 0 && counted.packetsToClient() > 0, "forwarded: " + counted);
        }
    }

    /** Sends a datagram, again until both captures have it; something a test sends. */
    private interface Send {
        void send() throws Exception;
    }

    /**
     * The IPv4 flags and fragment offset field of a datagram as it arrived and of the one forwarded for it.
     *
     * @param arriving of the datagram arriving at the relay
     * @param leaving of the datagram the relay sent on
     */
    private record ForwardedFlags(int arriving, int leaving) {
    }

    /**
     * The IPv4 flags and fragment offset of the first datagram to {@code inPort} arriving on {@code inLink}, and of
     * the first to {@code outPort} leaving on {@code outLink}, after {@code send}.
     */
    private static ForwardedFlags flagsOfForwarded(String inLink, int inPort, String outLink, int outPort, Send send)
            throws Exception {
        try (PacketCapture in = PacketCapture.firstUdpDatagramTo(inLink, inPort);
                PacketCapture out = PacketCapture.firstUdpDatagramTo(outLink, outPort)) {
            // Sent again while tcpdump has not shown it, so a capture that starts late cannot fail the test.
            for (int attempt = 0; attempt < 10 && (attempt == 0 || !(in.captured(Duration.ofSeconds(1))
                    && out.captured(Duration.ofSeconds(1)))); attempt++) {
                send.send();
            }
            assertTrue(in.captured(RECEIVE) && out.captured(RECEIVE), "tcpdump saw none of the datagrams");
            return new ForwardedFlags(ipv4Flags(in.packet()), ipv4Flags(out.packet()));
        }
    }

    private static int ipv4Flags(byte[] ip) {
        assertEquals(4, (ip[0] & 0xFF) >>> 4, "an IPv4 header");
        return ((ip[6] & 0xFF) << 8) | (ip[7] & 0xFF);
    }

    /** The relay's sockets in this namespace, the client and peer agents in theirs, the forwarder and its route. */
    private record VethRelay(VethTopology net, UdpSocket listener, UdpSocket relayed, NamespacedUdpAgent client,
                             NamespacedUdpAgent peer, KernelForwarder forwarder, ChannelRoute route)
            implements AutoCloseable {

        static VethRelay start(VethTopology net, boolean ipv6, Path tmp) throws Exception {
            return start(net, ipv6, tmp, false);
        }

        /** With {@code dontFragment}, the route's datagrams to the peer carry DF (IPv4). */
        static VethRelay start(VethTopology net, boolean ipv6, Path tmp, boolean dontFragment) throws Exception {
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
                        peer.address(), CHANNEL, dontFragment);
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
