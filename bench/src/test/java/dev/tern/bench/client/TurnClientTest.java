package dev.tern.bench.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tern.relay.codec.StunClass;
import dev.tern.relay.codec.StunMessage;
import dev.tern.relay.codec.StunMessageWriter;
import dev.tern.relay.codec.StunParse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The bench's TURN client against a scripted server on a real loopback UDP socket. */
class TurnClientTest {

    @Test
    void dataThatArrivesWhileARefreshWaitsForItsAnswerIsReturnedAfterwardsNotDropped() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        byte[] late = {0x40, 0x01, 0x00, 0x04, 9, 8, 7, 6};
        try (DatagramSocket server = new DatagramSocket(new InetSocketAddress(loopback, 0));
                DatagramChannel channel = DatagramChannel.open()) {
            server.setSoTimeout(5000);
            channel.connect(server.getLocalSocketAddress());
            TurnClient client = new TurnClient(channel, "user", "password");
            // The server gets the Refresh, sends a late echo (ChannelData) first, then the answer.
            CompletableFuture<Void> serve = CompletableFuture.runAsync(() -> {
                try {
                    DatagramPacket request = new DatagramPacket(new byte[2048], 2048);
                    server.receive(request);
                    StunMessage refresh = ((StunParse.Parsed) StunMessage.parse(
                            Unpooled.wrappedBuffer(request.getData(), 0, request.getLength()))).message();
                    server.send(new DatagramPacket(late, late.length, request.getSocketAddress()));
                    ByteBuf answer = Unpooled.buffer(64);
                    StunMessageWriter.start(answer, refresh.method(), StunClass.SUCCESS_RESPONSE,
                            refresh.transactionId()).finish();
                    byte[] bytes = Arrays.copyOf(answer.array(), answer.writerIndex());
                    server.send(new DatagramPacket(bytes, bytes.length, request.getSocketAddress()));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            client.refresh(600);
            serve.join();
            byte[] buffer = new byte[2048];
            assertEquals(4, client.receiveData(buffer, 1000), "the ChannelData read during the Refresh");
            assertArrayEquals(new byte[] {9, 8, 7, 6}, Arrays.copyOfRange(buffer, 4, 8));
            assertEquals(-1, client.receiveData(buffer, 100), "returned once");
        }
    }
}
