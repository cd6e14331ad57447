package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.PolicyEvaluator;
import dev.tern.turn.client.TurnClient;
import dev.tern.relay.plane.DataPlaneMode;
import dev.tern.spi.RelayListener.Direction;
import dev.tern.spi.RelayListener.Plane;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The relay never relays to itself (#16 point 12), and two allocations of one relay still talk: data a client sends
 * to another allocation's relayed address is handed to that allocation inside the relay, never sent as a datagram
 * from one relay socket to another.
 */
class OwnAddressHandoverTest {

    private static final byte[] HELLO = "hello bob".getBytes(StandardCharsets.UTF_8);
    private static final byte[] REPLY = "hello alice".getBytes(StandardCharsets.UTF_8);

    /** Two clients with an allocation each and a permission for each other's relayed address. */
    private record Call(TurnClient alice, InetSocketAddress aliceRelayed, TurnClient bob, InetSocketAddress bobRelayed)
            implements AutoCloseable {

        static Call start(RelayFixture relay) {
            TurnClient alice = relay.client("@alice:tern.test");
            TurnClient bob = relay.client("@bob:tern.test");
            InetSocketAddress aliceRelayed = alice.allocate().grant().relayed().orElseThrow();
            InetSocketAddress bobRelayed = bob.allocate().grant().relayed().orElseThrow();
            assertTrue(alice.createPermission(bobRelayed).success(), "relay-only ICE pairs relayed with relayed");
            assertTrue(bob.createPermission(aliceRelayed).success());
            return new Call(alice, aliceRelayed, bob, bobRelayed);
        }

        @Override
        public void close() {
            alice.close();
            bob.close();
        }
    }

    private static RelayFixture relay(List<String> allowedPeers, DataPlaneMode plane) {
        return RelayFixture.start(RelayFixture.config(allowedPeers, null).toBuilder().dataPlane(plane).build(),
                PolicyEvaluator.PERMISSIVE);
    }

    private static void assertReceived(TurnClient client, InetSocketAddress from, byte[] data) {
        TurnClient.Received received = client.receive();
        assertEquals(from, received.peer().orElseThrow(), "XOR-PEER-ADDRESS is the sender's relayed address");
        assertArrayEquals(data, received.data());
    }

    private static void assertOnChannel(TurnClient client, int channel, byte[] data) {
        TurnClient.Received received = client.receive();
        assertEquals(channel, received.channel());
        assertArrayEquals(data, received.data());
    }

    @Test
    void handsSendIndicationsAndChannelDataToTheOtherAllocationWithoutADatagramBetweenRelaySockets()
            throws Exception {
        try (RelayFixture relay = relay(List.of("127.0.0.0/8"), DataPlaneMode.USER); Call call = Call.start(relay);
                PacketCapture toBob = PacketCapture.firstUdpDatagramTo("lo", call.bobRelayed().getPort());
                PacketCapture toAlice = PacketCapture.firstUdpDatagramTo("lo", call.aliceRelayed().getPort())) {
            call.alice().sendIndication(call.bobRelayed(), HELLO);
            assertReceived(call.bob(), call.aliceRelayed(), HELLO);
            assertTrue(call.alice().channelBind(0x4001, call.bobRelayed()).success());
            call.alice().sendChannelData(0x4001, HELLO);
            assertReceived(call.bob(), call.aliceRelayed(), HELLO);
            // Bob's channel to Alice: his ChannelData reaches her as ChannelData on her channel to him, and hers reach
            // him on his.
            assertTrue(call.bob().channelBind(0x4002, call.aliceRelayed()).success());
            call.bob().sendChannelData(0x4002, REPLY);
            assertOnChannel(call.alice(), 0x4001, REPLY);
            call.alice().sendChannelData(0x4001, HELLO);
            assertOnChannel(call.bob(), 0x4002, HELLO);
            assertFalse(toBob.captured(Duration.ofMillis(300)),
                    "a datagram went to Bob's relayed port: the relay relayed to itself");
            assertFalse(toAlice.captured(Duration.ZERO),
                    "a datagram went to Alice's relayed port: the relay relayed to itself");
            // Counted before each was handed over and before each reached its client.
            assertEquals(3L * HELLO.length + REPLY.length,
                    relay.server().allocations().stream().mapToLong(a -> a.traffic().bytesToPeers()).sum(),
                    "the sender's counters count what it sent");
            assertEquals(3L * HELLO.length + REPLY.length,
                    relay.server().allocations().stream().mapToLong(a -> a.traffic().bytesFromPeers()).sum(),
                    "the receiver's counters count what it received");
        }
    }

    @Test
    void twoAllocationsTalkWhenTheDenyListHoldsTheRelaysOwnAddress() throws Exception {
        // No allowed_peers: loopback, the relay's own address, is denied. Its relayed addresses are no network
        // the relay sends to, so a forced-relay call between two of its users still connects.
        try (RelayFixture relay = relay(null, DataPlaneMode.USER); Call call = Call.start(relay)) {
            call.alice().sendIndication(call.bobRelayed(), HELLO);
            assertReceived(call.bob(), call.aliceRelayed(), HELLO);
            assertEquals(403, call.alice().createPermission(new InetSocketAddress("127.0.0.1", 9)).errorCode(),
                    "a port of the relay's address that no allocation holds is still refused by the deny list");
            assertEquals(403, call.alice().createPermission(relay.address()).errorCode(), "the listener never");
        }
    }

    @Test
    void keepsChannelsBetweenTwoAllocationsOutOfTheKernelPlane() throws Exception {
        try (RelayFixture relay = relay(List.of("127.0.0.0/8"), DataPlaneMode.KERNEL); Call call = Call.start(relay)) {
            assertEquals(Plane.KERNEL, relay.server().dataPlane().plane(), relay.server().dataPlane().reason());
            PlaneTraffic traffic = new PlaneTraffic();
            relay.server().addListener(traffic);
            assertTrue(call.alice().channelBind(0x4001, call.bobRelayed()).success());
            assertTrue(call.bob().channelBind(0x4002, call.aliceRelayed()).success());
            for (int i = 0; i < 3; i++) {
                call.alice().sendChannelData(0x4001, HELLO);
                assertOnChannel(call.bob(), 0x4002, HELLO);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (traffic.packets(Plane.USER, Direction.TO_PEER) < 3 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(3, traffic.packets(Plane.USER, Direction.TO_PEER), "user space handed each one over");
            assertEquals(0, traffic.packets(Plane.KERNEL, Direction.TO_PEER),
                    "the kernel forwarded none: its route would deliver to the relay's own socket");
            assertEquals(0, traffic.packets(Plane.KERNEL, Direction.FROM_PEER));
        }
    }
}
