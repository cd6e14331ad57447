package dev.tern.turn.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.stun.StunAttribute;
import dev.tern.stun.StunClass;
import dev.tern.stun.StunMessage;
import dev.tern.stun.StunMessageWriter;
import dev.tern.stun.StunMethod;
import dev.tern.stun.StunParse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.io.DataInputStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The TURN client against scripted servers on real loopback UDP and TCP sockets. */
class TurnClientTest {

    @Test
    void dataThatArrivesWhileARefreshWaitsForItsAnswerIsReturnedAfterwardsNotDropped() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        byte[] late = {0x40, 0x01, 0x00, 0x04, 9, 8, 7, 6};
        try (DatagramSocket server = new DatagramSocket(new InetSocketAddress(loopback, 0));
                DatagramChannel channel = DatagramChannel.open()) {
            server.setSoTimeout(5000);
            channel.connect(server.getLocalSocketAddress());
            TurnClient client = TurnClient.over(channel, Duration.ofSeconds(5)).credentials("user", "password");
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

    @Test
    void overAStreamPadsChannelDataAndReadsPaddedChannelDataBack() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            TurnClient client = TurnClient.overStream(new Socket(InetAddress.getLoopbackAddress(),
                    listener.getLocalPort()), Duration.ofSeconds(5));
            try (client; Socket server = listener.accept()) {
                client.sendChannelData(0x4001, new byte[] {1, 2, 3, 4, 5});
                byte[] framed = new byte[12];
                new DataInputStream(server.getInputStream()).readFully(framed);
                assertArrayEquals(new byte[] {0x40, 0x01, 0, 5, 1, 2, 3, 4, 5, 0, 0, 0}, framed,
                        "RFC 8656 section 12.5: padded to a multiple of four over TCP");
                server.getOutputStream().write(new byte[] {0x40, 0x02, 0, 1, 42, 0, 0, 0, 0x40, 0x02, 0, 0});
                TurnClient.Received first = client.receive();
                assertEquals(0x4002, first.channel());
                assertArrayEquals(new byte[] {42}, first.data(), "the padding is not data");
                assertEquals(0, client.receive().data().length, "the next frame starts after the padding");
            }
        }
    }

    @Test
    void answersTheChallengeWithTheLongTermKeyAndRetriesOnce() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (DatagramSocket server = new DatagramSocket(new InetSocketAddress(loopback, 0));
                TurnClient client = new TurnClient((InetSocketAddress) server.getLocalSocketAddress(),
                        Duration.ofSeconds(5)).credentials("alice", "secret")) {
            server.setSoTimeout(5000);
            CompletableFuture<StunMessage> signed = CompletableFuture.supplyAsync(() -> {
                try {
                    DatagramPacket first = receive(server);
                    StunMessage unsigned = parse(first);
                    reply(server, first, unsigned, StunClass.ERROR_RESPONSE, w -> w
                            .errorCode(401, "Unauthorized").string(StunAttribute.REALM, "tern.test")
                            .string(StunAttribute.NONCE, "n1"));
                    DatagramPacket second = receive(server);
                    StunMessage again = parse(second);
                    reply(server, second, again, StunClass.SUCCESS_RESPONSE, w -> { });
                    return again;
                } catch (java.io.IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            assertTrue(client.createPermission(new InetSocketAddress(loopback, 9)).success());
            StunMessage request = signed.join();
            assertEquals(StunMethod.CREATE_PERMISSION, request.method());
            assertEquals("alice", request.string(StunAttribute.USERNAME).orElseThrow());
            assertEquals("n1", request.string(StunAttribute.NONCE).orElseThrow());
            assertTrue(dev.tern.stun.MessageIntegrity.verifySha1(request, client.key().orElseThrow()),
                    "signed with MD5(alice:tern.test:secret)");
        }
    }

    @Test
    void aServerThatNeverAnswersEndsInATimeoutNotAHang() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                TurnClient client = new TurnClient((InetSocketAddress) silent.getLocalSocketAddress(),
                        Duration.ofMillis(200))) {
            UncheckedIOException e = assertThrows(UncheckedIOException.class, client::binding);
            assertTrue(e.getCause() instanceof SocketTimeoutException, e.toString());
        }
    }

    @Test
    void anErrorResponseBecomesATurnExceptionWithItsCodeOnlyWhenAsked() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (DatagramSocket server = new DatagramSocket(new InetSocketAddress(loopback, 0));
                TurnClient client = new TurnClient((InetSocketAddress) server.getLocalSocketAddress(),
                        Duration.ofSeconds(5))) {
            server.setSoTimeout(5000);
            CompletableFuture<Void> serve = CompletableFuture.runAsync(() -> {
                try {
                    DatagramPacket request = receive(server);
                    reply(server, request, parse(request), StunClass.ERROR_RESPONSE,
                            w -> w.errorCode(486, "Allocation Quota Reached\0\0"));
                } catch (java.io.IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            StunResponse refused = client.allocate();
            serve.join();
            assertEquals(486, refused.errorCode());
            TurnException e = assertThrows(TurnException.class, refused::orThrow);
            assertEquals(486, e.code());
            assertTrue(e.getMessage().contains("Allocation Quota Reached"), e.getMessage());
        }
    }

    private static DatagramPacket receive(DatagramSocket server) throws java.io.IOException {
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        server.receive(p);
        return p;
    }

    private static StunMessage parse(DatagramPacket p) {
        return ((StunParse.Parsed) StunMessage.parse(Unpooled.copiedBuffer(p.getData(), 0, p.getLength())))
                .message();
    }

    private static void reply(DatagramSocket server, DatagramPacket to, StunMessage request, StunClass cls,
            java.util.function.Consumer<StunMessageWriter> attributes) throws java.io.IOException {
        ByteBuf answer = Unpooled.buffer(256);
        StunMessageWriter w = StunMessageWriter.start(answer, request.method(), cls, request.transactionId());
        attributes.accept(w);
        w.finish();
        byte[] bytes = Arrays.copyOf(answer.array(), answer.writerIndex());
        answer.release();
        server.send(new DatagramPacket(bytes, bytes.length, to.getSocketAddress()));
    }
}
