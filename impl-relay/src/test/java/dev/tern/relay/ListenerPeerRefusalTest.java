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
import dev.tern.stun.StunClass;
import dev.tern.stun.StunMessageWriter;
import dev.tern.stun.StunMethod;
import dev.tern.stun.TransactionId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The relay never relays to its own listeners, whatever {@code allowed_peers} says (#16 point 12): an
 * allocation could otherwise reach the listener from its relay socket and nest allocations. Relayed
 * addresses stay reachable, so two relay-only clients of one relay still talk.
 */
class ListenerPeerRefusalTest {

    /** A relay like the launcher's embedded default: loopback peers allowed. */
    private static RelayFixture relay(String listen, String relayAddress) {
        return RelayFixture.start(RelayConfig.builder(RelayFixture.REALM)
                .listen(listen)
                .relayAddress(relayAddress)
                .ports("40000-60000")
                .allowedPeers("127.0.0.0/8")
                .threads(2)
                .build(), PolicyEvaluator.PERMISSIVE);
    }

    private static TurnClient quickClient(RelayFixture relay, String user) {
        var c = relay.credentials(user);
        return new TurnClient(relay.address(), Duration.ofMillis(500)).credentials(c.username(), c.password());
    }

    private static byte[] bindingRequest() {
        ByteBuf out = Unpooled.buffer();
        try {
            return ByteBufUtil.getBytes(StunMessageWriter.start(out, StunMethod.BINDING, StunClass.REQUEST,
                    TransactionId.random()).finish());
        } finally {
            out.release();
        }
    }

    @Test
    void refusesPermissionsAndChannelsToTheListenerWith403AndDropsSendIndicationsToIt() throws Exception {
        try (RelayFixture relay = relay("udp://127.0.0.1:0", null); TurnClient client = quickClient(relay, "@a:tern.test")) {
            InetSocketAddress listener = relay.address();
            assertTrue(client.allocate().success());
            assertEquals(403, client.createPermission(listener).errorCode());
            InetSocketAddress mapped = new InetSocketAddress(InetAddress.getByAddress(null,
                    new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 127, 0, 0, 1}), listener.getPort());
            assertEquals(403, client.createPermission(mapped).errorCode());
            assertEquals(403, client.channelBind(0x4001, listener).errorCode());
            // A permission is for an IP address: one for 127.0.0.1 at another port must not open the listener.
            assertTrue(client.createPermission(new InetSocketAddress(listener.getAddress(), 9)).success());
            client.sendIndication(listener, bindingRequest());
            UncheckedIOException timeout = assertThrows(UncheckedIOException.class, client::receive,
                    "the listener answered a Binding request the relay sent it from the client's relay socket");
            assertTrue(timeout.getCause() instanceof SocketTimeoutException, timeout.toString());
            assertEquals(1, relay.server().allocations().size());
        }
    }

    @Test
    void refusesEveryLoopbackAddressAtTheListenPortWhenListeningOnTheWildcard() throws Exception {
        try (RelayFixture relay = relay("udp://0.0.0.0:0", "127.0.0.1")) {
            int port = relay.port();
            try (TurnClient client = new TurnClient(new InetSocketAddress("127.0.0.1", port), Duration.ofSeconds(5))
                    .credentials(relay.credentials("@a:tern.test").username(),
                            relay.credentials("@a:tern.test").password())) {
                assertTrue(client.allocate().success());
                assertEquals(403, client.createPermission(new InetSocketAddress("127.0.0.1", port)).errorCode());
                assertEquals(403, client.createPermission(new InetSocketAddress("127.0.0.2", port)).errorCode(),
                        "a wildcard listener also receives what is sent to 127.0.0.2");
                assertTrue(client.createPermission(new InetSocketAddress("127.0.0.2", port + 1)).success());
            }
        }
    }

    @Test
    void relaysBetweenTwoAllocationsOfTheSameRelay() throws Exception {
        try (RelayFixture relay = relay("udp://127.0.0.1:0", null); TurnClient alice = relay.client("@a:tern.test");
                TurnClient bob = relay.client("@b:tern.test")) {
            StunResponse a = alice.allocate();
            StunResponse b = bob.allocate();
            InetSocketAddress aliceRelayed = a.grant().relayed().orElseThrow();
            InetSocketAddress bobRelayed = b.grant().relayed().orElseThrow();
            assertTrue(alice.createPermission(bobRelayed).success(), "relay-only ICE pairs relayed with relayed");
            assertTrue(bob.createPermission(aliceRelayed).success());
            alice.sendIndication(bobRelayed, "hello bob".getBytes(StandardCharsets.UTF_8));
            TurnClient.Received received = bob.receive();
            assertEquals(aliceRelayed, received.peer().orElseThrow());
            assertArrayEquals("hello bob".getBytes(StandardCharsets.UTF_8), received.data());
        }
    }

    @Test
    void aPeerThatIsNotTheListenerIsStillReached() throws Exception {
        try (RelayFixture relay = relay("udp://127.0.0.1:0", null); TurnClient client = relay.client("@a:tern.test");
                DatagramSocket peer = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            peer.setSoTimeout(5000);
            assertTrue(client.allocate().success());
            InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
            assertTrue(client.createPermission(peerAddress).success());
            client.sendIndication(peerAddress, "to a loopback peer".getBytes(StandardCharsets.UTF_8));
            assertArrayEquals("to a loopback peer".getBytes(StandardCharsets.UTF_8), receive(peer, null));
        }
    }
}
