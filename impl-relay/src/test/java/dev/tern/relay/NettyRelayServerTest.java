package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.PolicyEvaluator;
import dev.tern.turn.client.StunResponse;
import dev.tern.turn.client.TurnClient;
import dev.tern.stun.StunAttribute;
import dev.tern.stun.StunMethod;
import dev.tern.stun.TransactionId;
import dev.tern.spi.AllocationView;
import dev.tern.testing.MutableClock;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The relay over real loopback sockets, driven by the codec's {@link TurnClient}. */
class NettyRelayServerTest {

    private static DatagramSocket peer() throws Exception {
        DatagramSocket peer = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        peer.setSoTimeout(5000);
        return peer;
    }

    /** Receives one datagram on {@code socket}; puts its source in {@code from[0]} unless {@code from} is null. */
    static byte[] receive(DatagramSocket socket, InetSocketAddress[] from) throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        socket.receive(p);
        if (from != null) {
            from[0] = (InetSocketAddress) p.getSocketAddress();
        }
        return Arrays.copyOf(p.getData(), p.getLength());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void relaysBothWaysWithSendIndicationsAndChannelData() throws Exception {
        RecordingListener events = new RecordingListener();
        try (RelayFixture relay = RelayFixture.loopbackPeersAllowed(); DatagramSocket peer = peer();
                TurnClient client = relay.client("@alice:tern.test")) {
            relay.server().addListener(events);
            InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
            StunResponse allocated = client.allocate();
            assertTrue(allocated.success(), "allocate: " + allocated.errorCode());
            assertEquals(600, allocated.grant().lifetime());
            InetSocketAddress relayed = allocated.grant().relayed().orElseThrow();
            assertEquals(InetAddress.getLoopbackAddress(), relayed.getAddress());
            assertEquals(client.localPort(), allocated.grant().mapped().orElseThrow().getPort());
            assertTrue(allocated.integrityMatches(client.key().orElseThrow()), "responses are signed");

            assertTrue(client.createPermission(peerAddress).success());
            client.sendIndication(peerAddress, bytes("to peer by indication"));
            InetSocketAddress[] from = new InetSocketAddress[1];
            assertArrayEquals(bytes("to peer by indication"), receive(peer, from));
            assertEquals(relayed, from[0]);

            peer.send(new DatagramPacket(bytes("from peer"), 9, relayed));
            TurnClient.Received data = client.receive();
            assertEquals(peerAddress, data.peer().orElseThrow());
            assertArrayEquals(bytes("from peer"), data.data());

            assertTrue(client.channelBind(0x4001, peerAddress).success());
            client.sendChannelData(0x4001, bytes("to peer by channel"));
            assertArrayEquals(bytes("to peer by channel"), receive(peer, null));
            peer.send(new DatagramPacket(bytes("odd size"), 8, relayed));
            TurnClient.Received framed = client.receive();
            assertEquals(0x4001, framed.channel());
            assertArrayEquals(bytes("odd size"), framed.data());

            List<AllocationView> views = relay.server().allocations();
            assertEquals(1, views.size());
            assertEquals("@alice:tern.test", views.get(0).owner().userId());
            assertEquals(relayed, views.get(0).addresses().relayed());
            assertEquals(List.of("127.0.0.1"), views.get(0).peers());
            assertTrue(events.events.containsAll(List.of("created @alice:tern.test", "permission 127.0.0.1",
                    "channel 4001")), events.events.toString());
        }
    }

    @Test
    void answersRetransmittedAllocateWithTheSameRelayedAddress() {
        try (RelayFixture relay = RelayFixture.loopbackPeersAllowed();
                TurnClient client = relay.client("@alice:tern.test")) {
            assertEquals(437, client.refresh(600).errorCode(), "no allocation yet; this also fetches a nonce");
            byte[] allocate = client.build(StunMethod.ALLOCATE,
                    w -> w.u8Padded(StunAttribute.REQUESTED_TRANSPORT, StunAttribute.TRANSPORT_UDP),
                    TransactionId.random(), true);
            StunResponse first = client.exchange(allocate);
            StunResponse again = client.exchange(allocate);
            assertTrue(first.success());
            assertArrayEquals(first.raw(), again.raw());
            assertEquals(437, client.allocate().errorCode(), "a new Allocate on the same 5-tuple is a mismatch");
            assertEquals(1, relay.server().allocations().size());
        }
    }

    @Test
    void refusesAnotherUsersCredentialsOnAnAllocation() {
        RecordingListener events = new RecordingListener();
        try (RelayFixture relay = RelayFixture.loopbackPeersAllowed();
                TurnClient client = relay.client("@alice:tern.test")) {
            relay.server().addListener(events);
            assertTrue(client.allocate().success());
            var bob = relay.credentials("@bob:tern.test");
            client.credentials(bob.username(), bob.password());
            assertEquals(441, client.refresh(600).errorCode());
            assertTrue(events.events.contains("auth WRONG_CREDENTIALS"));
        }
    }

    @Test
    void challengesUnauthenticatedAndWrongPasswordRequests() {
        try (RelayFixture relay = RelayFixture.loopbackPeersAllowed();
                TurnClient client = new TurnClient(relay.address(), Duration.ofSeconds(5))) {
            byte[] bare = client.build(StunMethod.ALLOCATE, w -> { }, TransactionId.random(), false);
            StunResponse challenge = client.exchange(bare);
            assertEquals(401, challenge.errorCode());
            assertEquals(RelayFixture.REALM, challenge.challenge().realm().orElseThrow());
            assertTrue(challenge.challenge().nonce().orElseThrow().startsWith("obMatJos2"));
            assertTrue(challenge.has(StunAttribute.PASSWORD_ALGORITHMS));
            assertFalse(challenge.has(StunAttribute.SOFTWARE), "SOFTWARE is off by default");
            // No amplification: an unauthenticated request gets at most the request plus a small constant.
            assertTrue(challenge.raw().length <= bare.length + 128, "challenge of " + challenge.raw().length + " bytes");

            var alice = relay.credentials("@alice:tern.test");
            client.credentials(alice.username(), alice.password() + "x");
            assertEquals(401, client.allocate().errorCode());
            client.credentials("1:@alice:tern.test", alice.password());
            assertEquals(401, client.allocate().errorCode(), "expired username");
        }
    }

    @Test
    void answersUnknownComprehensionRequiredAttributesWith420() {
        try (RelayFixture relay = RelayFixture.loopbackPeersAllowed();
                TurnClient client = new TurnClient(relay.address(), Duration.ofSeconds(5))) {
            StunResponse response = client.exchange(client.build(StunMethod.BINDING, w -> w.u32(0x7F01, 1),
                    TransactionId.random(), false));
            assertEquals(420, response.errorCode());
            assertTrue(response.has(StunAttribute.UNKNOWN_ATTRIBUTES));
            StunResponse binding = client.binding();
            assertTrue(binding.success());
            assertEquals(client.localPort(), binding.grant().mapped().orElseThrow().getPort());
        }
    }

    @Test
    void refusesLoopbackAndMappedLoopbackPeersByDefault() throws Exception {
        RecordingListener events = new RecordingListener();
        try (RelayFixture relay = RelayFixture.defaults(); DatagramSocket peer = peer();
                TurnClient client = relay.client("@alice:tern.test")) {
            relay.server().addListener(events);
            assertTrue(client.allocate().success());
            InetSocketAddress loopback = (InetSocketAddress) peer.getLocalSocketAddress();
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xFF;
            mapped[11] = (byte) 0xFF;
            System.arraycopy(new byte[] {127, 0, 0, 1}, 0, mapped, 12, 4);
            InetSocketAddress mappedLoopback = new InetSocketAddress(
                    java.net.Inet6Address.getByAddress(null, mapped, -1), loopback.getPort());
            InetSocketAddress zero = new InetSocketAddress(InetAddress.getByName("0.0.0.0"), loopback.getPort());
            assertEquals(403, client.createPermission(loopback).errorCode());
            assertEquals(403, client.createPermission(mappedLoopback).errorCode());
            assertEquals(403, client.createPermission(zero).errorCode());
            assertEquals(403, client.channelBind(0x4000, loopback).errorCode());
            assertEquals(403, client.channelBind(0x4001, mappedLoopback).errorCode());
            assertEquals(403, client.createPermission(
                    new InetSocketAddress(InetAddress.getByName("10.1.2.3"), 5000)).errorCode());
            client.sendIndication(loopback, bytes("must not arrive"));
            peer.setSoTimeout(300);
            try {
                receive(peer, null);
                throw new AssertionError("a Send indication reached a refused peer");
            } catch (SocketTimeoutException expected) {
                // dropped, as it must be
            }
            assertTrue(events.events.contains("peer refused"));
            assertTrue(relay.server().allocations().get(0).peers().isEmpty());
        }
    }

    @Test
    void refreshWithLifetimeZeroDeletesTheAllocation() {
        RecordingListener events = new RecordingListener();
        try (RelayFixture relay = RelayFixture.loopbackPeersAllowed();
                TurnClient client = relay.client("@alice:tern.test")) {
            relay.server().addListener(events);
            assertTrue(client.allocate(w -> w.u32(StunAttribute.LIFETIME, 100_000)).success());
            StunResponse refreshed = client.refresh(100_000);
            assertEquals(3600, refreshed.grant().lifetime(), "capped by max_allocation_lifetime");
            StunResponse deleted = client.refresh(0);
            assertTrue(deleted.success());
            assertEquals(0, deleted.grant().lifetime());
            assertTrue(relay.server().allocations().isEmpty());
            assertTrue(events.events.contains("deleted deleted by client"));
            assertEquals(437, client.refresh(600).errorCode());
            assertTrue(client.allocate().success(), "the 5-tuple is free again");
        }
    }

    @Test
    void staleNonceGets438AndTheClientRecovers() {
        MutableClock clock = new MutableClock(Instant.now());
        try (RelayFixture relay = RelayFixture.start(RelayFixture.config(List.of("127.0.0.1"), null),
                PolicyEvaluator.PERMISSIVE, clock); TurnClient client = relay.client("@alice:tern.test")) {
            assertTrue(client.allocate().success());
            clock.advance(Duration.ofMinutes(11));
            byte[] refresh = client.build(StunMethod.REFRESH, w -> w.u32(StunAttribute.LIFETIME, 600),
                    TransactionId.random(), true);
            StunResponse stale = client.exchange(refresh);
            assertEquals(438, stale.errorCode());
            assertTrue(stale.challenge().nonce().isPresent());
            assertTrue(client.refresh(600).success(), "the client retries with the new nonce");
        }
    }

    @Test
    void allocatesEvenPortsAndHonoursReservations() {
        try (RelayFixture relay = RelayFixture.loopbackPeersAllowed();
                TurnClient rtp = relay.client("@alice:tern.test");
                TurnClient rtcp = relay.client("@alice:tern.test")) {
            StunResponse first = rtp.allocate(w -> w.u8Padded(StunAttribute.EVEN_PORT, 0x80));
            assertTrue(first.success());
            int port = first.grant().relayed().orElseThrow().getPort();
            assertEquals(0, port % 2);
            long token = first.grant().reservationToken().orElseThrow();
            StunResponse second = rtcp.allocate(w -> w.bytes(StunAttribute.RESERVATION_TOKEN,
                    java.nio.ByteBuffer.allocate(8).putLong(token).array()));
            assertTrue(second.success(), "reserved: " + second.errorCode());
            assertEquals(port + 1, second.grant().relayed().orElseThrow().getPort());
        }
    }

    @Test
    void refusesRequestedTransportsOtherThanUdpAndMissingOnes() {
        try (RelayFixture relay = RelayFixture.loopbackPeersAllowed();
                TurnClient client = relay.client("@alice:tern.test")) {
            assertEquals(442, client.request(StunMethod.ALLOCATE,
                    w -> w.u8Padded(StunAttribute.REQUESTED_TRANSPORT, 6)).errorCode());
            assertEquals(400, client.request(StunMethod.ALLOCATE, w -> { }).errorCode());
            assertEquals(440, client.allocate(w -> w.u8Padded(StunAttribute.REQUESTED_ADDRESS_FAMILY,
                    StunAttribute.FAMILY_IPV6)).errorCode());
            StunResponse dual = client.allocate(w -> w.u8Padded(StunAttribute.ADDITIONAL_ADDRESS_FAMILY,
                    StunAttribute.FAMILY_IPV6));
            assertTrue(dual.success());
            assertTrue(dual.has(StunAttribute.ADDRESS_ERROR_CODE), "IPv6 half refused with 440");
        }
    }

    @Test
    void drainRefusesNewAllocationsAndEndsWhenTheLastOneDoes() {
        try (RelayFixture relay = RelayFixture.loopbackPeersAllowed();
                TurnClient first = relay.client("@alice:tern.test");
                TurnClient late = relay.client("@bob:tern.test")) {
            assertTrue(first.allocate().success());
            var drained = relay.server().drain(Duration.ofMinutes(1)).toCompletableFuture();
            assertEquals(508, late.allocate().errorCode());
            assertFalse(drained.isDone());
            assertTrue(first.refresh(0).success());
            drained.orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join();
        }
    }

    @Test
    void dropsDataFromPeersWithoutPermission() throws Exception {
        try (RelayFixture relay = RelayFixture.start(RelayFixture.config(List.of("127.0.0.0/8"), null),
                PolicyEvaluator.PERMISSIVE); TurnClient client = relay.client("@alice:tern.test");
                DatagramSocket permitted = peer();
                DatagramSocket stranger = new DatagramSocket(new InetSocketAddress("127.0.0.2", 0))) {
            InetSocketAddress relayed = client.allocate().grant().relayed().orElseThrow();
            assertTrue(client.createPermission((InetSocketAddress) permitted.getLocalSocketAddress()).success());
            // Both land in the relay socket's queue in this order: the first must be dropped, the second relayed.
            stranger.send(new DatagramPacket(bytes("unsolicited"), 11, relayed));
            permitted.send(new DatagramPacket(bytes("marker"), 6, relayed));
            TurnClient.Received first = client.receive();
            assertArrayEquals(bytes("marker"), first.data());
            assertEquals(permitted.getLocalSocketAddress(), first.peer().orElseThrow());
        }
    }

    @Test
    void strictExpiryCapsLifetimesByTheCredentialsExpiry() {
        RelayConfig strict = RelayConfig.builder(RelayFixture.REALM)
                .listen("udp://127.0.0.1:0")
                .ports("40000-60000")
                .strictExpiry(true)
                .threads(1)
                .build();
        try (RelayFixture relay = RelayFixture.start(strict, PolicyEvaluator.PERMISSIVE);
                TurnClient client = new TurnClient(relay.address(), Duration.ofSeconds(5))) {
            String username = (System.currentTimeMillis() / 1000 + 100) + ":@alice:tern.test";
            client.credentials(username, RelayPolicyTest.restPassword(username));
            long lifetime = client.allocate().grant().lifetime();
            assertTrue(lifetime > 0 && lifetime <= 100, "lifetime " + lifetime);
        }
    }

    @Test
    void secureStunRequiresCredentialsForBinding() {
        RelayConfig secure = RelayConfig.builder(RelayFixture.REALM)
                .listen("udp://127.0.0.1:0")
                .ports("40000-60000")
                .secureStun(true)
                .software("tern-test")
                .threads(1)
                .build();
        try (RelayFixture relay = RelayFixture.start(secure, PolicyEvaluator.PERMISSIVE);
                TurnClient client = relay.client("@alice:tern.test")) {
            assertEquals(401, client.binding().errorCode());
            StunResponse signed = client.request(StunMethod.BINDING, w -> { });
            assertTrue(signed.success());
            assertTrue(signed.integrityMatches(client.key().orElseThrow()));
            assertTrue(signed.has(StunAttribute.SOFTWARE), "SOFTWARE when configured");
        }
    }

    @Test
    void capsAllocationsPerSourceAddressAndInTotal() {
        RelayConfig perSource = RelayConfig.builder(RelayFixture.REALM)
                .listen("udp://127.0.0.1:0")
                .ports("40000-60000")
                .maxAllocationsPerSource(1)
                .threads(1)
                .build();
        RelayConfig total = RelayConfig.builder(RelayFixture.REALM)
                .listen("udp://127.0.0.1:0")
                .ports("40000-60000")
                .totalQuota(2)
                .threads(1)
                .build();
        try (RelayFixture relay = RelayFixture.start(perSource, PolicyEvaluator.PERMISSIVE);
                TurnClient a = relay.client("@alice:tern.test"); TurnClient b = relay.client("@bob:tern.test")) {
            assertTrue(a.allocate().success());
            assertEquals(486, b.allocate().errorCode(), "one allocation per client IP");
        }
        try (RelayFixture relay = RelayFixture.start(total, PolicyEvaluator.PERMISSIVE);
                TurnClient a = relay.client("@alice:tern.test"); TurnClient b = relay.client("@bob:tern.test");
                TurnClient c = relay.client("@carol:tern.test")) {
            assertTrue(a.allocate().success());
            assertTrue(b.allocate().success());
            assertEquals(486, c.allocate().errorCode(), "total_quota reached");
        }
    }

    @Test
    void reportsRelayedBytesInBatches() throws Exception {
        RecordingListener events = new RecordingListener();
        try (RelayFixture relay = RelayFixture.loopbackPeersAllowed(); DatagramSocket peer = peer();
                TurnClient client = relay.client("@alice:tern.test")) {
            relay.server().addListener(events);
            InetSocketAddress relayed = client.allocate().grant().relayed().orElseThrow();
            InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
            assertTrue(client.channelBind(0x4abc, peerAddress).success());
            client.sendChannelData(0x4abc, new byte[100]);
            receive(peer, null);
            peer.send(new DatagramPacket(new byte[30], 30, relayed));
            assertEquals(30, client.receive().data().length);
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while ((events.bytesToPeers.get() < 100 || events.bytesFromPeers.get() < 30)
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(100, events.bytesToPeers.get());
            assertEquals(30, events.bytesFromPeers.get());
            assertEquals(100, relay.server().allocations().get(0).traffic().bytesToPeers());
        }
    }

    @Test
    void drainClosesWhatIsLeftWhenTheGracePeriodEnds() {
        RecordingListener events = new RecordingListener();
        try (RelayFixture relay = RelayFixture.loopbackPeersAllowed();
                TurnClient client = relay.client("@alice:tern.test")) {
            relay.server().addListener(events);
            assertTrue(client.allocate().success());
            relay.server().drain(Duration.ofMillis(200)).toCompletableFuture()
                    .orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join();
            assertTrue(relay.server().allocations().isEmpty());
            assertTrue(events.events.contains("deleted relay drained"), events.events.toString());
            assertEquals(437, client.refresh(600).errorCode());
        }
    }
}
