package dev.tern.relay;

import static dev.tern.relay.NettyRelayServerTest.receive;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.PolicyEvaluator;
import dev.tern.turn.client.StunResponse;
import dev.tern.turn.client.TurnClient;
import dev.tern.stun.StunAttribute;
import dev.tern.spi.AllocationView;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Allocations of either family and dual allocations (RFC 8656 REQUESTED-ADDRESS-FAMILY and
 * ADDITIONAL-ADDRESS-FAMILY) over real loopback sockets: 127.0.0.1 and ::1.
 */
class DualStackRelayTest {

    private static final InetAddress IPV6_LOOPBACK = address("::1");
    private static final InetAddress IPV4_LOOPBACK = address("127.0.0.1");

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A relay listening on 127.0.0.1 that relays on these addresses and may reach these loopback peers. */
    private static RelayFixture relay(String relayAddress, String relayAddressIpv6, List<String> allowedPeers) {
        return RelayFixture.start(RelayConfig.builder(RelayFixture.REALM)
                .listen("udp://127.0.0.1:0")
                .relayAddress(relayAddress)
                .relayAddressIpv6(relayAddressIpv6)
                .ports("40000-60000")
                .allowedPeers(allowedPeers)
                .threads(2)
                .build(), PolicyEvaluator.PERMISSIVE);
    }

    private static RelayFixture dualRelay() {
        return relay(null, "::1", List.of("127.0.0.1", "::1"));
    }

    private static DatagramSocket peer(InetAddress address) throws SocketException {
        DatagramSocket peer = new DatagramSocket(new InetSocketAddress(address, 0));
        peer.setSoTimeout(5000);
        return peer;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void ipv6AllocationRelaysToAnIpv6PeerAndBack() throws Exception {
        try (RelayFixture relay = dualRelay(); DatagramSocket peer = peer(IPV6_LOOPBACK);
                TurnClient client = relay.client("@alice:tern.test")) {
            InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
            StunResponse allocated = client.allocateFamily(StunAttribute.FAMILY_IPV6);
            assertTrue(allocated.success(), "allocate: " + allocated.errorCode());
            InetSocketAddress relayed = allocated.grant().relayed().orElseThrow();
            assertEquals(IPV6_LOOPBACK, relayed.getAddress());
            assertEquals(List.of(relayed), allocated.relayedAddresses());

            assertTrue(client.createPermission(peerAddress).success());
            client.sendIndication(peerAddress, bytes("to an IPv6 peer"));
            InetSocketAddress[] from = new InetSocketAddress[1];
            assertArrayEquals(bytes("to an IPv6 peer"), receive(peer, from));
            assertEquals(relayed, from[0]);

            peer.send(new DatagramPacket(bytes("from an IPv6 peer"), 17, relayed));
            TurnClient.Received data = client.receive();
            assertEquals(peerAddress, data.peer().orElseThrow());
            assertArrayEquals(bytes("from an IPv6 peer"), data.data());

            assertTrue(client.channelBind(0x4002, peerAddress).success());
            client.sendChannelData(0x4002, bytes("by channel"));
            assertArrayEquals(bytes("by channel"), receive(peer, from));
            assertEquals(List.of(relayed), relay.server().allocations().get(0).addresses().relayedAddresses());
        }
    }

    @Test
    void dualAllocationRelaysEachPeerThroughTheSocketOfItsFamily() throws Exception {
        RecordingListener events = new RecordingListener();
        try (RelayFixture relay = dualRelay(); DatagramSocket peer4 = peer(IPV4_LOOPBACK);
                DatagramSocket peer6 = peer(IPV6_LOOPBACK); TurnClient client = relay.client("@alice:tern.test")) {
            relay.server().addListener(events);
            InetSocketAddress peer4Address = (InetSocketAddress) peer4.getLocalSocketAddress();
            InetSocketAddress peer6Address = (InetSocketAddress) peer6.getLocalSocketAddress();
            StunResponse allocated = client.allocateDual();
            assertTrue(allocated.success(), "allocate: " + allocated.errorCode());
            List<InetSocketAddress> relayed = allocated.relayedAddresses();
            assertEquals(2, relayed.size(), relayed.toString());
            InetSocketAddress relayed4 = relayed.get(0);
            InetSocketAddress relayed6 = relayed.get(1);
            assertTrue(relayed4.getAddress() instanceof Inet4Address, "IPv4 first: " + relayed);
            assertTrue(relayed6.getAddress() instanceof Inet6Address, relayed.toString());
            assertEquals(relayed4, allocated.grant().relayed().orElseThrow());
            assertTrue(allocated.addressError().isEmpty(), "both families granted");

            assertTrue(client.createPermission(peer4Address, peer6Address).success());
            assertTrue(client.channelBind(0x4006, peer6Address).success());
            InetSocketAddress[] from = new InetSocketAddress[1];
            client.sendIndication(peer4Address, bytes("to the IPv4 peer"));
            assertArrayEquals(bytes("to the IPv4 peer"), receive(peer4, from));
            assertEquals(relayed4, from[0]);
            client.sendChannelData(0x4006, bytes("to the IPv6 peer"));
            assertArrayEquals(bytes("to the IPv6 peer"), receive(peer6, from));
            assertEquals(relayed6, from[0]);
            client.sendIndication(peer6Address, bytes("indication to the IPv6 peer"));
            assertArrayEquals(bytes("indication to the IPv6 peer"), receive(peer6, from));
            assertEquals(relayed6, from[0]);

            peer4.send(new DatagramPacket(bytes("from v4"), 7, relayed4));
            TurnClient.Received fromV4 = client.receive();
            assertEquals(peer4Address, fromV4.peer().orElseThrow());
            assertArrayEquals(bytes("from v4"), fromV4.data());
            peer6.send(new DatagramPacket(bytes("from v6"), 7, relayed6));
            TurnClient.Received fromV6 = client.receive();
            assertEquals(0x4006, fromV6.channel());
            assertArrayEquals(bytes("from v6"), fromV6.data());

            AllocationView view = relay.server().allocations().get(0);
            assertEquals(relayed4, view.addresses().relayed());
            assertEquals(relayed, view.addresses().relayedAddresses());
            assertEquals(List.of("0:0:0:0:0:0:0:1", "127.0.0.1"), view.peers().stream().sorted().toList());
            assertEquals(16 + 16 + 27, view.traffic().bytesToPeers());
            assertEquals(14, view.traffic().bytesFromPeers());
            assertTrue(events.events.containsAll(List.of("created @alice:tern.test", "permission 127.0.0.1",
                    "permission 0:0:0:0:0:0:0:1", "channel 4006")), events.events.toString());
        }
    }

    @Test
    void dualAllocationWithoutAnIpv6RelayAddressGetsIpv4AndAddressError440() {
        try (RelayFixture relay = relay(null, null, List.of("127.0.0.1", "::1"));
                TurnClient client = relay.client("@alice:tern.test")) {
            StunResponse dual = client.allocateDual();
            assertTrue(dual.success(), "allocate: " + dual.errorCode());
            assertEquals(1, dual.relayedAddresses().size());
            assertTrue(dual.grant().relayed().orElseThrow().getAddress() instanceof Inet4Address);
            assertEquals(new StunResponse.AddressError(StunAttribute.FAMILY_IPV6, 440), dual.addressError().orElseThrow());
            assertEquals(443, client.createPermission(new InetSocketAddress(IPV6_LOOPBACK, 5000)).errorCode());
        }
    }

    @Test
    void refuses440WhenTheRequestedFamilyHasNoRelayAddress() {
        try (RelayFixture ipv6Only = relay("::1", null, List.of("::1"));
                TurnClient client = ipv6Only.client("@alice:tern.test");
                TurnClient dual = ipv6Only.client("@bob:tern.test");
                TurnClient ipv6 = ipv6Only.client("@carol:tern.test")) {
            assertEquals(440, client.allocate().errorCode(), "no family asked means IPv4");
            assertEquals(440, client.allocateFamily(StunAttribute.FAMILY_IPV4).errorCode());
            assertEquals(440, client.allocateFamily(0x07).errorCode(), "an unknown family");
            assertEquals(440, dual.allocateDual().errorCode(), "a dual allocation needs IPv4 too");
            StunResponse allocated = ipv6.allocateFamily(StunAttribute.FAMILY_IPV6);
            assertTrue(allocated.success(), "allocate: " + allocated.errorCode());
            assertEquals(IPV6_LOOPBACK, allocated.grant().relayed().orElseThrow().getAddress());
        }
    }

    @Test
    void refusesContradictoryFamilyAttributesWith400() {
        try (RelayFixture relay = dualRelay(); TurnClient client = relay.client("@alice:tern.test")) {
            assertEquals(400, client.allocate(w -> w.u8Padded(StunAttribute.REQUESTED_ADDRESS_FAMILY,
                    StunAttribute.FAMILY_IPV6).u8Padded(StunAttribute.ADDITIONAL_ADDRESS_FAMILY,
                    StunAttribute.FAMILY_IPV6)).errorCode(), "both family attributes");
            assertEquals(400, client.allocate(w -> w.u8Padded(StunAttribute.ADDITIONAL_ADDRESS_FAMILY,
                    StunAttribute.FAMILY_IPV4)).errorCode(), "IPv4 as the additional family");
            assertEquals(400, client.allocate(w -> w.bytes(StunAttribute.RESERVATION_TOKEN,
                    ByteBuffer.allocate(8).putLong(42).array()).u8Padded(StunAttribute.REQUESTED_ADDRESS_FAMILY,
                    StunAttribute.FAMILY_IPV4)).errorCode(), "a reservation token with a family");
        }
    }

    @Test
    void refusesEvenPortWithReservationTogetherWithAnAdditionalFamilyWith400() {
        try (RelayFixture relay = dualRelay(); TurnClient client = relay.client("@alice:tern.test")) {
            StunResponse refused = client.allocate(w -> w.u8Padded(StunAttribute.EVEN_PORT, 0x80)
                    .u8Padded(StunAttribute.ADDITIONAL_ADDRESS_FAMILY, StunAttribute.FAMILY_IPV6));
            assertEquals(400, refused.errorCode(), "RFC 8656 section 7.2: EVEN-PORT R=1 with ADDITIONAL-ADDRESS-FAMILY");
            assertTrue(relay.server().allocations().isEmpty());
            StunResponse even = client.allocate(w -> w.u8Padded(StunAttribute.EVEN_PORT, 0)
                    .u8Padded(StunAttribute.ADDITIONAL_ADDRESS_FAMILY, StunAttribute.FAMILY_IPV6));
            assertTrue(even.success(), "without the R bit a dual allocation may ask for even ports: " + even.errorCode());
            assertTrue(even.grant().reservationToken().isEmpty());
        }
    }

    @Test
    void refreshForAFamilyTheAllocationLacksGets443() {
        try (RelayFixture relay = dualRelay(); TurnClient ipv4 = relay.client("@alice:tern.test");
                TurnClient ipv6 = relay.client("@bob:tern.test")) {
            assertTrue(ipv4.allocate().success());
            assertTrue(ipv6.allocateFamily(StunAttribute.FAMILY_IPV6).success());
            assertEquals(443, refresh(ipv4, 600, StunAttribute.FAMILY_IPV6).errorCode());
            assertEquals(443, refresh(ipv4, 0, StunAttribute.FAMILY_IPV6).errorCode(), "not deleted either");
            assertEquals(443, refresh(ipv6, 600, StunAttribute.FAMILY_IPV4).errorCode());
            assertEquals(443, refresh(ipv6, 600, 0x07).errorCode(), "an unknown family");
            assertEquals(2, relay.server().allocations().size());
            assertEquals(600, refresh(ipv4, 600, StunAttribute.FAMILY_IPV4).grant().lifetime());
            assertEquals(600, refresh(ipv6, 600, StunAttribute.FAMILY_IPV6).grant().lifetime());
        }
    }

    @Test
    void refreshWithLifetimeZeroAndAFamilyDeletesOnlyThatHalfOfADualAllocation() throws Exception {
        try (RelayFixture relay = dualRelay(); DatagramSocket peer4 = peer(IPV4_LOOPBACK);
                DatagramSocket peer6 = peer(IPV6_LOOPBACK); TurnClient client = relay.client("@alice:tern.test")) {
            InetSocketAddress peer4Address = (InetSocketAddress) peer4.getLocalSocketAddress();
            InetSocketAddress peer6Address = (InetSocketAddress) peer6.getLocalSocketAddress();
            List<InetSocketAddress> relayed = client.allocateDual().relayedAddresses();
            assertEquals(2, relayed.size());
            assertTrue(client.createPermission(peer4Address, peer6Address).success());
            assertTrue(client.channelBind(0x4006, peer6Address).success());

            StunResponse deleted = refresh(client, 0, StunAttribute.FAMILY_IPV6);
            assertTrue(deleted.success(), "delete the IPv6 half: " + deleted.errorCode());
            assertEquals(0, deleted.grant().lifetime());
            bindSoon(relayed.get(1)).close();
            AllocationView view = relay.server().allocations().get(0);
            assertEquals(List.of(relayed.get(0)), view.addresses().relayedAddresses());
            assertEquals(List.of("127.0.0.1"), view.peers(), "the IPv6 peer's permission went with its half");

            client.sendIndication(peer4Address, bytes("still relayed"));
            InetSocketAddress[] from = new InetSocketAddress[1];
            assertArrayEquals(bytes("still relayed"), receive(peer4, from));
            assertEquals(relayed.get(0), from[0]);
            client.sendChannelData(0x4006, bytes("dropped"));
            client.sendIndication(peer6Address, bytes("dropped too"));
            peer6.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, () -> receive(peer6, from));
            assertEquals(443, client.createPermission(peer6Address).errorCode());
            assertEquals(443, refresh(client, 600, StunAttribute.FAMILY_IPV6).errorCode());
            assertEquals(600, client.refresh(600).grant().lifetime(), "the IPv4 half lives on");

            assertTrue(refresh(client, 0, StunAttribute.FAMILY_IPV4).success(), "its last half deletes it");
            assertTrue(relay.server().allocations().isEmpty());
            bindSoon(relayed.get(0)).close();
        }
    }

    @Test
    void deletingTheIpv4HalfStopsItsChannelsAtOnceOnEitherDataPlane() throws Exception {
        try (RelayFixture relay = dualRelay(); DatagramSocket peer4 = peer(IPV4_LOOPBACK);
                DatagramSocket peer6 = peer(IPV6_LOOPBACK); TurnClient client = relay.client("@alice:tern.test")) {
            InetSocketAddress peer4Address = (InetSocketAddress) peer4.getLocalSocketAddress();
            InetSocketAddress peer6Address = (InetSocketAddress) peer6.getLocalSocketAddress();
            List<InetSocketAddress> relayed = client.allocateDual().relayedAddresses();
            assertEquals(2, relayed.size());
            assertTrue(client.channelBind(0x4004, peer4Address).success());
            assertTrue(client.channelBind(0x4006, peer6Address).success());
            client.sendChannelData(0x4004, bytes("relayed"));
            assertArrayEquals(bytes("relayed"), receive(peer4, null));

            assertTrue(refresh(client, 0, StunAttribute.FAMILY_IPV4).success());
            // A kernel data plane forwarding the channel must drop its route with the half, not a second later.
            client.sendChannelData(0x4004, bytes("dropped"));
            client.sendChannelData(0x4006, bytes("still relayed"));
            assertArrayEquals(bytes("still relayed"), receive(peer6, null));
            peer4.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, () -> receive(peer4, null));
            assertEquals(List.of(relayed.get(1)), relay.server().allocations().get(0).addresses().relayedAddresses());
        }
    }

    private static StunResponse refresh(TurnClient client, long lifetime, int family) {
        return client.request(dev.tern.stun.StunMethod.REFRESH, w -> w.u32(StunAttribute.LIFETIME, lifetime)
                .u8Padded(StunAttribute.REQUESTED_ADDRESS_FAMILY, family));
    }

    @Test
    void refusesPeersOfAFamilyTheAllocationLacksWith443AndDropsSendsToThem() throws Exception {
        try (RelayFixture relay = dualRelay(); DatagramSocket peer4 = peer(IPV4_LOOPBACK);
                DatagramSocket peer6 = peer(IPV6_LOOPBACK); TurnClient client = relay.client("@alice:tern.test")) {
            InetSocketAddress peer4Address = (InetSocketAddress) peer4.getLocalSocketAddress();
            InetSocketAddress peer6Address = (InetSocketAddress) peer6.getLocalSocketAddress();
            assertTrue(client.allocateFamily(StunAttribute.FAMILY_IPV6).success());
            assertEquals(443, client.createPermission(peer4Address).errorCode());
            assertEquals(443, client.createPermission(peer6Address, peer4Address).errorCode(), "all or nothing");
            assertEquals(443, client.channelBind(0x4001, peer4Address).errorCode());
            assertTrue(client.createPermission(peer6Address).success());
            client.sendIndication(peer4Address, bytes("dropped"));
            client.sendIndication(peer6Address, bytes("marker"));
            InetSocketAddress[] from = new InetSocketAddress[1];
            assertArrayEquals(bytes("marker"), receive(peer6, from));
            peer4.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, () -> receive(peer4, from));
            assertEquals(List.of("0:0:0:0:0:0:0:1"), relay.server().allocations().get(0).peers());
        }
    }

    @Test
    void filtersIpv6PeersLikeIpv4Ones() {
        try (RelayFixture relay = relay(null, "::1", List.of("127.0.0.1"));
                TurnClient client = relay.client("@alice:tern.test")) {
            assertTrue(client.allocateDual().success());
            assertEquals(403, client.createPermission(new InetSocketAddress(IPV6_LOOPBACK, 5000)).errorCode(),
                    "::1 is on the default deny list");
            assertEquals(403, client.createPermission(new InetSocketAddress("fe80::1", 5000)).errorCode());
            assertTrue(client.createPermission(new InetSocketAddress(IPV4_LOOPBACK, 5000)).success());
        }
    }

    @Test
    void deletingADualAllocationFreesBothPorts() throws Exception {
        RecordingListener events = new RecordingListener();
        try (RelayFixture relay = dualRelay(); TurnClient client = relay.client("@alice:tern.test")) {
            relay.server().addListener(events);
            List<InetSocketAddress> relayed = client.allocateDual().relayedAddresses();
            assertEquals(2, relayed.size());
            for (InetSocketAddress address : relayed) {
                assertThrows(SocketException.class, () -> new DatagramSocket(address).close(), "in use: " + address);
            }
            assertTrue(client.refresh(0).success());
            assertTrue(relay.server().allocations().isEmpty());
            assertTrue(events.events.contains("deleted deleted by client"), events.events.toString());
            for (InetSocketAddress address : relayed) {
                bindSoon(address).close();
            }
        }
    }

    @Test
    void stoppingTheRelayClosesBothSocketsOfADualAllocation() throws Exception {
        try (RelayFixture relay = dualRelay(); TurnClient client = relay.client("@alice:tern.test")) {
            List<InetSocketAddress> relayed = client.allocateDual().relayedAddresses();
            assertEquals(2, relayed.size());
            relay.server().stop().toCompletableFuture().join();
            for (InetSocketAddress address : relayed) {
                bindSoon(address).close();
            }
        }
    }

    @Test
    void closingTheTcpConnectionOfADualAllocationFreesBothPorts() throws Exception {
        RelayConfig tcp = RelayConfig.builder(RelayFixture.REALM)
                .listen("tcp://127.0.0.1:0")
                .relayAddressIpv6("::1")
                .ports("40000-60000")
                .allowedPeers("127.0.0.1", "::1")
                .threads(2)
                .build();
        try (RelayFixture relay = RelayFixture.start(tcp, PolicyEvaluator.PERMISSIVE)) {
            var c = relay.credentials("@alice:tern.test");
            List<InetSocketAddress> relayed;
            try (TurnClient client = TurnClient.overStream(new java.net.Socket(IPV4_LOOPBACK, relay.port()),
                    java.time.Duration.ofSeconds(5)).credentials(c.username(), c.password())) {
                StunResponse allocated = client.request(dev.tern.stun.StunMethod.ALLOCATE,
                        w -> w.u8Padded(StunAttribute.REQUESTED_TRANSPORT, StunAttribute.TRANSPORT_UDP)
                                .u8Padded(StunAttribute.ADDITIONAL_ADDRESS_FAMILY, StunAttribute.FAMILY_IPV6));
                assertTrue(allocated.success(), "allocate: " + allocated.errorCode());
                relayed = allocated.relayedAddresses();
                assertEquals(2, relayed.size());
            }
            for (InetSocketAddress address : relayed) {
                bindSoon(address).close();
            }
            assertTrue(relay.server().allocations().isEmpty());
        }
    }

    /** Binds {@code address}, retrying briefly: the relay closes its socket on its event loop. */
    private static DatagramSocket bindSoon(InetSocketAddress address) throws Exception {
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (true) {
            try {
                return new DatagramSocket(address);
            } catch (SocketException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(address + " still in use", e);
                }
                Thread.sleep(20);
            }
        }
    }
}
