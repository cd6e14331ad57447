package dev.tern.relay;

import static dev.tern.relay.NettyRelayServerTest.receive;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.PolicyEvaluator;
import dev.tern.turn.client.TurnClient;
import dev.tern.stun.ChannelNumbers;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which channel numbers ChannelBind accepts (RFC 8656 section 12, and {@code channel_numbers: coturn}). */
class ChannelNumberRangeTest {

    private static RelayFixture relay(ChannelNumbers numbers) {
        RelayConfig config = RelayFixture.config(List.of("127.0.0.1"), null).toBuilder()
                .channelNumbers(numbers)
                .build();
        return RelayFixture.start(config, PolicyEvaluator.PERMISSIVE);
    }

    private static DatagramSocket peer() throws Exception {
        DatagramSocket peer = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        peer.setSoTimeout(5000);
        return peer;
    }

    @Test
    void refusesChannelNumbersAbove0x4fffWith400ByDefault() throws Exception {
        try (RelayFixture relay = relay(null); DatagramSocket peer = peer();
                TurnClient client = relay.client("@alice:tern.test")) {
            InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
            assertTrue(client.allocate().success());
            assertEquals(400, client.channelBind(0x5000, peerAddress).errorCode());
            assertEquals(400, client.channelBind(0x7FFF, peerAddress).errorCode());
            assertEquals(400, client.channelBind(0x3FFF, peerAddress).errorCode());
            assertEquals(400, client.channelBind(0x8000, peerAddress).errorCode());
            assertTrue(client.channelBind(0x4FFF, peerAddress).success(), "the highest RFC 8656 channel");
            client.sendChannelData(0x4FFF, "on 0x4fff".getBytes(StandardCharsets.UTF_8));
            assertArrayEquals("on 0x4fff".getBytes(StandardCharsets.UTF_8), receive(peer, null));
        }
    }

    @Test
    void coturnSettingAcceptsTheRfc5766RangeUpTo0x7fff() throws Exception {
        try (RelayFixture relay = relay(ChannelNumbers.COTURN); DatagramSocket peer = peer();
                TurnClient client = relay.client("@alice:tern.test")) {
            InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
            assertTrue(client.allocate().success());
            assertEquals(400, client.channelBind(0x8000, peerAddress).errorCode());
            assertTrue(client.channelBind(0x7FFF, peerAddress).success());
            client.sendChannelData(0x7FFF, "on 0x7fff".getBytes(StandardCharsets.UTF_8));
            assertArrayEquals("on 0x7fff".getBytes(StandardCharsets.UTF_8), receive(peer, null));
        }
    }
}
