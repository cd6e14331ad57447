package dev.tern.relay.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.relay.kernel.UdpSocket.Datagram;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The TC program forwarding on loopback between real sockets, no relay: "client" and "peer" sockets, and the
 * "listener" and "relayed" sockets a relay would own. When the kernel forwards, the listener and relayed sockets
 * receive nothing; when the route is gone or expired, they receive the packets again. Runs as root.
 */
class KernelForwarderLoopbackTest {

    private static final Duration RECEIVE = Duration.ofSeconds(2);
    private static final Duration NOTHING = Duration.ofMillis(300);
    private static final int CHANNEL = 0x4001;

    private static KernelForwarder forwarder;

    @BeforeAll
    static void attachToLoopback() throws KernelPlaneUnavailableException {
        forwarder = KernelForwarder.open(List.of("lo"));
    }

    @AfterAll
    static void detach() {
        if (forwarder != null) {
            forwarder.close();
        }
    }

    /** The four sockets of one route on one loopback address. */
    private record Sockets(UdpSocket client, UdpSocket listener, UdpSocket relayed, UdpSocket peer)
            implements AutoCloseable {

        static Sockets on(String loopback) throws IOException {
            InetAddress a = InetAddress.getByName(loopback);
            return new Sockets(new UdpSocket(a), new UdpSocket(a), new UdpSocket(a), new UdpSocket(a));
        }

        ChannelRoute route(int channel) throws IOException {
            return ChannelRoute.of(client.address(), listener.address(), relayed.address(), peer.address(), channel);
        }

        @Override
        public void close() throws IOException {
            client.close();
            listener.close();
            relayed.close();
            peer.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void forwardsBothDirectionsWithoutUserSpaceAndCounts(String loopback) throws Exception {
        long csumErrorsBefore = UdpChecksumErrors.read();
        try (Sockets s = Sockets.on(loopback)) {
            ChannelRoute route = s.route(CHANNEL);
            forwarder.install(route, Duration.ofMinutes(1).toNanos());

            long payloadToPeer = 0;
            int[][] sizesAndPadding = {{1, 3}, {5, 3}, {7, 1}, {64, 0}, {65, 0}, {1199, 1}, {1200, 0}, {2048, 0}};
            for (int[] sp : sizesAndPadding) {
                byte[] payload = ChannelDataFrames.payload(sp[0], sp[1]);
                s.client().send(ChannelDataFrames.frame(CHANNEL, payload, sp[1]), s.listener().address());
                Datagram atPeer = s.peer().receive(RECEIVE).orElseThrow(
                        () -> new AssertionError("peer got nothing for a " + sp[0] + "-byte payload"));
                assertEquals(s.relayed().address(), atPeer.from());
                assertArrayEquals(payload, atPeer.data(), sp[0] + "-byte payload");
                payloadToPeer += payload.length;
            }

            long payloadToClient = 0;
            int[] sizes = {0, 1, 3, 5, 64, 1199, 2048};
            for (int size : sizes) {
                byte[] payload = ChannelDataFrames.payload(size, 9);
                s.peer().send(payload, s.relayed().address());
                Datagram atClient = s.client().receive(RECEIVE).orElseThrow(
                        () -> new AssertionError("client got nothing for a " + size + "-byte payload"));
                assertEquals(s.listener().address(), atClient.from());
                assertArrayEquals(ChannelDataFrames.frame(CHANNEL, payload, 0), atClient.data(),
                        size + "-byte payload");
                payloadToClient += size;
            }

            assertNothing(s.listener(), "listener must see nothing the kernel forwarded");
            assertNothing(s.relayed(), "relayed socket must see nothing the kernel forwarded");
            RouteCounters expected = new RouteCounters(sizesAndPadding.length, payloadToPeer, sizes.length,
                    payloadToClient);
            assertEquals(expected, forwarder.counters(route));
            assertEquals(expected, forwarder.remove(route));
            assertEquals(RouteCounters.ZERO, forwarder.counters(route));

            byte[] frame = ChannelDataFrames.frame(CHANNEL, ChannelDataFrames.payload(10, 1), 0);
            s.client().send(frame, s.listener().address());
            assertReceives(s.listener(), frame, "after remove, user space gets it");
            s.peer().send(new byte[] {1, 2, 3}, s.relayed().address());
            assertReceives(s.relayed(), new byte[] {1, 2, 3}, "expected datagram");
            assertNothing(s.peer(), "nothing expected");
            assertNothing(s.client(), "nothing expected");
        }
        assertEquals(0, UdpChecksumErrors.read() - csumErrorsBefore, "UDP checksum errors during the test");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void stopsForwardingAtTheDeadline(String loopback) throws Exception {
        try (Sockets s = Sockets.on(loopback)) {
            ChannelRoute route = s.route(0x4FFF);
            forwarder.install(route, Duration.ofMillis(300).toNanos());
            byte[] payload = ChannelDataFrames.payload(20, 2);
            byte[] frame = ChannelDataFrames.frame(0x4FFF, payload, 0);
            s.client().send(frame, s.listener().address());
            assertReceives(s.peer(), payload, "expected datagram");

            Thread.sleep(400);
            s.client().send(frame, s.listener().address());
            assertReceives(s.listener(), frame, "after the deadline user space gets it");
            s.peer().send(payload, s.relayed().address());
            assertReceives(s.relayed(), payload, "expected datagram");
            assertNothing(s.peer(), "nothing expected");
            assertEquals(new RouteCounters(1, 20, 0, 0), forwarder.counters(route));

            forwarder.install(route, Duration.ofMinutes(1).toNanos());
            s.peer().send(payload, s.relayed().address());
            assertReceives(s.client(), frame, "renewed: forwarded again, counters kept");
            assertEquals(new RouteCounters(1, 20, 1, 20), forwarder.remove(route));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void leavesToUserSpaceWhatItDoesNotOwn(String loopback) throws Exception {
        try (Sockets s = Sockets.on(loopback)) {
            forwarder.install(s.route(CHANNEL), Duration.ofMinutes(1).toNanos());
            byte[] payload = ChannelDataFrames.payload(12, 3);
            byte[][] notForwarded = {
                ChannelDataFrames.frame(CHANNEL + 1, payload, 0),               // another channel
                ChannelDataFrames.frame(CHANNEL, payload, 4),                   // more than 3 bytes of padding
                withLength(ChannelDataFrames.frame(CHANNEL, payload, 0), 13),   // length over the datagram
                withByte(ChannelDataFrames.frame(CHANNEL, payload, 2), 17, 1),  // padding not zero
                {0x00, 0x01, 0x00, 0x00, 0x21, 0x12, (byte) 0xa4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, // STUN
                {0x40, 0x01},                                                   // shorter than a header
            };
            for (byte[] datagram : notForwarded) {
                s.client().send(datagram, s.listener().address());
                assertReceives(s.listener(), datagram, "expected datagram");
            }
            assertNothing(s.peer(), "nothing expected");
            forwarder.remove(s.route(CHANNEL));
        }
    }

    @Test
    void twoForwardersOnOneInterfaceEachForwardOnlyTheirOwnRoutes() throws Exception {
        try (KernelForwarder second = KernelForwarder.open(List.of("lo"));
             Sockets first = Sockets.on("127.0.0.1");
             Sockets other = Sockets.on("127.0.0.1")) {
            forwarder.install(first.route(CHANNEL), Duration.ofMinutes(1).toNanos());
            second.install(other.route(CHANNEL), Duration.ofMinutes(1).toNanos());
            byte[] payload = ChannelDataFrames.payload(33, 5);
            byte[] frame = ChannelDataFrames.frame(CHANNEL, payload, 0);

            first.client().send(frame, first.listener().address());
            other.client().send(frame, other.listener().address());
            assertReceives(first.peer(), payload, "first forwarder's route");
            assertReceives(other.peer(), payload, "second forwarder's route");
            assertEquals(new RouteCounters(1, 33, 0, 0), forwarder.remove(first.route(CHANNEL)));
            assertEquals(new RouteCounters(1, 33, 0, 0), second.remove(other.route(CHANNEL)));
            assertEquals(RouteCounters.ZERO, second.counters(first.route(CHANNEL)));
            assertNothing(first.listener(), "first listener");
            assertNothing(other.listener(), "second listener");
        }
    }

    @Test
    void leavesRoutesBetweenAddressFamiliesToUserSpace() throws Exception {
        try (Sockets v4 = Sockets.on("127.0.0.1"); Sockets v6 = Sockets.on("::1")) {
            ChannelRoute route = ChannelRoute.of(v4.client().address(), v4.listener().address(),
                    v6.relayed().address(), v6.peer().address(), CHANNEL);
            assertFalse(forwarder.forwards(route));
            forwarder.install(route, Duration.ofMinutes(1).toNanos());
            byte[] frame = ChannelDataFrames.frame(CHANNEL, ChannelDataFrames.payload(8, 8), 0);
            v4.client().send(frame, v4.listener().address());
            assertReceives(v4.listener(), frame, "mixed-family ChannelData reaches user space");
            assertEquals(RouteCounters.ZERO, forwarder.remove(route));
        }
    }

    @Test
    void aClosedForwarderRefusesInstallsAndReportsZeros() throws Exception {
        KernelForwarder closed = KernelForwarder.open(List.of("lo"));
        try (Sockets s = Sockets.on("127.0.0.1")) {
            closed.install(s.route(CHANNEL), Duration.ofMinutes(1).toNanos());
            closed.close();
            closed.close();
            assertThrows(IllegalStateException.class,
                    () -> closed.install(s.route(CHANNEL), 1));
            assertEquals(RouteCounters.ZERO, closed.counters(s.route(CHANNEL)));
            assertEquals(RouteCounters.ZERO, closed.remove(s.route(CHANNEL)));
            byte[] frame = ChannelDataFrames.frame(CHANNEL, ChannelDataFrames.payload(8, 8), 0);
            s.client().send(frame, s.listener().address());
            assertReceives(s.listener(), frame, "after close, user space gets it");
        }
    }

    private static void assertReceives(UdpSocket socket, byte[] expected, String what) throws IOException {
        Optional<Datagram> got = socket.receive(RECEIVE);
        assertTrue(got.isPresent(), what + ": nothing received");
        assertArrayEquals(expected, got.get().data(), what);
    }

    private static void assertNothing(UdpSocket socket, String what) throws IOException {
        Optional<Datagram> got = socket.receive(NOTHING);
        assertTrue(got.isEmpty(), () -> what + ": received " + got.get().data().length + " bytes from "
                + got.get().from());
    }

    private static byte[] withLength(byte[] frame, int length) {
        frame[2] = (byte) (length >> 8);
        frame[3] = (byte) length;
        return frame;
    }

    private static byte[] withByte(byte[] frame, int index, int value) {
        frame[index] = (byte) value;
        return frame;
    }
}
