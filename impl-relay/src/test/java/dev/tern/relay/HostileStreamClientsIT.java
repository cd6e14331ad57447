package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.PolicyEvaluator;
import dev.tern.spi.TurnCredentials;
import dev.tern.turn.client.StunResponse;
import dev.tern.turn.client.TurnClient;
import dev.tern.testing.TlsClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that try to pin the relay's memory or file descriptors over TCP and TLS: garbage before the
 * TLS handshake, one byte at a time, silence, a connection left idle, thousands of connections. Each
 * is bounded by a limit or deadline, and a well-behaved client from another address is served
 * meanwhile. Every wait is bounded by a socket timeout.
 */
class HostileStreamClientsIT {

    /** Another loopback address, so the well-behaved client is not counted with the flood from 127.0.0.1. */
    private static final InetAddress OTHER_CLIENT = address("127.0.0.2");
    private static final int PER_SOURCE = 50;

    @TempDir
    static Path dir;
    private static Path cert;
    private static RelayFixture relay;
    private static SSLContext trust;
    private static final RecordingListener EVENTS = new RecordingListener();

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        TestCertificates.selfSigned(cert, key, "hostile");
        trust = TestCertificates.trusting(TestCertificates.read(cert));
        RelayConfig config = RelayConfig.builder(RelayFixture.REALM)
                .listen("tcp://127.0.0.1:0", "tls://127.0.0.1:0")
                .ports("40000-60000")
                .allowedPeers("127.0.0.1")
                .threads(2)
                .tls(new RelayConfig.Tls(cert, key, null, null, Duration.ofSeconds(2)))
                .tcp(new RelayConfig.Tcp(1000, PER_SOURCE, Duration.ofSeconds(3), Duration.ofSeconds(2), 2048))
                .build();
        relay = RelayFixture.start(config, PolicyEvaluator.PERMISSIVE);
        relay.server().addListener(EVENTS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (relay != null) {
            relay.close();
        }
    }

    private static int port(ListenEndpoint.Scheme scheme) {
        return relay.server().listenEndpoints().stream().filter(e -> e.scheme() == scheme).findFirst().orElseThrow()
                .address().getPort();
    }

    private static Socket plain(InetAddress from) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port(ListenEndpoint.Scheme.TCP), from, 0);
        s.setSoTimeout(10_000);
        return s;
    }

    private static SSLSocket tls(InetAddress from) throws IOException {
        return TlsClient.handshake(trust, new Socket(InetAddress.getLoopbackAddress(), port(ListenEndpoint.Scheme.TLS),
                from, 0), Duration.ofSeconds(10));
    }

    private static TurnClient client(Socket socket) throws IOException {
        TurnCredentials c = relay.credentials("@bob:tern.test");
        return TurnClient.overStream(socket, java.time.Duration.ofSeconds(5)).credentials(c.username(), c.password());
    }

    /** Whether the relay closed the connection (end of stream or reset) before the socket timeout. */
    private static boolean closedByRelay(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        try {
            while (in.read() >= 0) {
                // drain whatever came before the close
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException reset) {
            return true;
        }
    }

    /** A client from another address allocates and relays both ways over TCP and over TLS. */
    private static void anotherClientIsServed() throws Exception {
        for (Socket socket : new Socket[] {plain(OTHER_CLIENT), tls(OTHER_CLIENT)}) {
            try (TurnClient c = client(socket); DatagramSocket peer = new DatagramSocket(0,
                    InetAddress.getLoopbackAddress())) {
                peer.setSoTimeout(5000);
                StunResponse allocated = c.allocate();
                assertTrue(allocated.success(), "allocate: " + allocated.errorCode());
                assertTrue(c.channelBind(0x4002, (InetSocketAddress) peer.getLocalSocketAddress()).success());
                c.sendChannelData(0x4002, "ping".getBytes(StandardCharsets.UTF_8));
                DatagramPacket p = new DatagramPacket(new byte[16], 16);
                peer.receive(p);
                assertEquals("ping", new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
                peer.send(new DatagramPacket(new byte[] {1, 2, 3}, 3, allocated.grant().relayed().orElseThrow()));
                assertArrayEquals(new byte[] {1, 2, 3}, c.receive().data());
            }
        }
    }

    @Test
    void garbageBeforeTheTlsHandshakeClosesTheConnection() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port(ListenEndpoint.Scheme.TLS))) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: turn.example.org\r\n\r\n".repeat(20)
                    .getBytes(StandardCharsets.US_ASCII));
            assertTrue(closedByRelay(s), "the relay closes a connection that does not speak TLS");
        }
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port(ListenEndpoint.Scheme.TCP))) {
            s.setSoTimeout(10_000);
            byte[] junk = new byte[4096];
            Arrays.fill(junk, (byte) 0xEE);
            s.getOutputStream().write(junk);
            assertTrue(closedByRelay(s), "the relay closes a TCP connection sending neither STUN nor ChannelData");
        }
        anotherClientIsServed();
    }

    @Test
    void aClientWritingOneByteAtATimeIsServedWithinTheDeadline() throws Exception {
        for (Socket socket : new Socket[] {plain(InetAddress.getLoopbackAddress()), tls(InetAddress.getLoopbackAddress())}) {
            try (TurnClient c = client(socket).trickle()) {
                StunResponse allocated = c.allocate();
                assertTrue(allocated.success(), "allocate one byte at a time: " + allocated.errorCode());
            }
        }
    }

    @Test
    void silentAndTricklingClientsAreClosedAtTheDeadline() throws Exception {
        try (Socket silent = plain(InetAddress.getLoopbackAddress());
                Socket halfHeader = plain(InetAddress.getLoopbackAddress());
                Socket noHandshake = new Socket(InetAddress.getLoopbackAddress(), port(ListenEndpoint.Scheme.TLS))) {
            noHandshake.setSoTimeout(10_000);
            halfHeader.getOutputStream().write(new byte[] {0, 1, 0, 8, 0x21, 0x12, (byte) 0xA4, 0x42, 1, 2});
            anotherClientIsServed();
            assertTrue(closedByRelay(silent), "a connection that sends nothing");
            assertTrue(closedByRelay(halfHeader), "a connection that never completes its first message");
            assertTrue(closedByRelay(noHandshake), "a TLS connection that never starts its handshake");
        }
    }

    @Test
    void anIdleConnectionIsClosedAndItsAllocationDeleted() throws Exception {
        EVENTS.events.clear();
        try (TurnClient c = client(plain(InetAddress.getLoopbackAddress()))) {
            assertTrue(c.allocate().success());
            assertTrue(closedByRelay(c.streamSocket()), "closed after the 3 s idle timeout");
        }
        StreamListenersIT.await("the idle connection's allocation to be deleted",
                () -> EVENTS.events.contains("deleted connection closed"));
    }

    @Test
    void tenThousandConnectionsFromOneAddressAreCappedAndOthersAreServed() throws Exception {
        List<Socket> flood = new ArrayList<>();
        try {
            int connected = 0;
            for (int i = 0; i < 10_000; i++) {
                Socket s = new Socket();
                flood.add(s);
                try {
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port(ListenEndpoint.Scheme.TCP)),
                            2000);
                    connected++;
                } catch (IOException refusedOrTimedOut) {
                    // the kernel's queue may refuse some; what matters is what the relay keeps open
                }
            }
            assertTrue(connected > PER_SOURCE, "the flood got through to the relay: " + connected);
            assertTrue(relay.server().openConnections() <= PER_SOURCE,
                    "open connections: " + relay.server().openConnections());
            anotherClientIsServed();
            assertTrue(relay.server().openConnections() <= PER_SOURCE + 2,
                    "open connections: " + relay.server().openConnections());
        } finally {
            for (Socket s : flood) {
                s.close();
            }
        }
        StreamListenersIT.await("every connection to be released", () -> relay.server().openConnections() == 0);
    }
}
