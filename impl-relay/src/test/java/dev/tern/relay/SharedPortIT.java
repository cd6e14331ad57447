package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.PolicyEvaluator;
import dev.tern.spi.Transport;
import dev.tern.spi.TurnCredentials;
import dev.tern.stun.ChannelNumbers;
import dev.tern.relay.shared.HttpProtocol;
import dev.tern.spi.AllocationView;
import dev.tern.testing.Processes;
import dev.tern.testing.TlsClient;
import dev.tern.testing.coturn.TurnutilsPeer;
import dev.tern.turn.client.TurnClient;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One port for TURN and HTTP ({@code tls+https://}, {@code tcp+http://}) against real clients: coturn's
 * {@code turnutils_uclient -t} relaying through the plain shared port ({@code -S -t} through the TLS one: the
 * launcher's OnePortIT, with the Matrix endpoints on the same port), JDK TLS sockets with and
 * without ALPN going to TURN or to the HTTP side, a client silent after its handshake closed at the deadline,
 * garbage closed while another client is served, and PROXY protocol v1 and v2 headers from a trusted proxy
 * (before TLS, too) setting the address the allocation quota and the allocation list see, refused from
 * elsewhere. One relay for the class; the HTTP side here answers a fixed response and records the protocol it
 * was handed (the launcher's OnePortIT serves the real Matrix endpoints on such a port).
 */
class SharedPortIT {

    /** relay.tcp.first_message_timeout: long enough for a loaded machine's handshakes, short enough to wait for. */
    private static final Duration FIRST_BYTES = Duration.ofSeconds(3);
    /** max_allocations_per_source: uclient's 4 clients (8 allocations with RTCP) fit, an eleventh from one address does not. */
    private static final int MAX_PER_SOURCE = 10;
    private static final byte[] HTTP_ANSWER = ("HTTP/1.1 200 OK\r\nContent-Length: 4\r\nConnection: close\r\n\r\ntern")
            .getBytes(StandardCharsets.US_ASCII);

    @TempDir
    static Path dir;
    private static Path cert;
    private static RelayFixture relay;
    private static TurnutilsPeer peer;
    private static int peerPort;
    private static SSLContext trust;
    private static final Queue<HttpProtocol> httpSeen = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() throws Exception {
        Processes.require("turnutils_uclient", Uclient.INSTALL);
        cert = dir.resolve("fullchain.pem");
        Path key = dir.resolve("privkey.pem");
        TestCertificates.selfSigned(cert, key, "127.0.0.1");
        trust = TestCertificates.trusting(TestCertificates.read(cert));
        RelayConfig config = RelayConfig.builder(RelayFixture.REALM)
                .listen("tls+https://127.0.0.1:0", "tcp+http://127.0.0.1:0")
                .ports("40000-60000")
                .allowedPeers("127.0.0.1")
                .maxAllocationsPerSource(MAX_PER_SOURCE)
                .threads(2)
                .tls(RelayConfig.Tls.of(cert, key))
                .tcp(new RelayConfig.Tcp(null, null, null, FIRST_BYTES, null))
                .channelNumbers(ChannelNumbers.COTURN)
                .proxyProtocol(new RelayConfig.ProxyProtocol(List.of("127.0.0.1")))
                .build();
        relay = RelayFixture.start(config, PolicyEvaluator.PERMISSIVE);
        relay.server().serveHttp((connection, protocol) -> {
            httpSeen.add(protocol);
            connection.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ReferenceCountUtil.release(msg);
                    ctx.writeAndFlush(Unpooled.wrappedBuffer(HTTP_ANSWER)).addListener(ChannelFutureListener.CLOSE);
                }
            });
        });
        peer = TurnutilsPeer.start(dir);
        peerPort = peer.port();
    }

    @AfterAll
    static void stop() throws Exception {
        if (peer != null) {
            peer.close();
        }
        if (relay != null) {
            relay.close();
        }
    }

    private static int port(ListenEndpoint.Scheme scheme) {
        return relay.server().listenEndpoints().stream().filter(e -> e.scheme() == scheme).findFirst().orElseThrow()
                .address().getPort();
    }

    private static SSLSocket tls(Socket under, List<String> alpn) throws Exception {
        return TlsClient.handshake(trust, under, Duration.ofSeconds(5), alpn.toArray(String[]::new));
    }

    private static Socket plain(int port) throws Exception {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(5000);
        return s;
    }

    private static TurnClient turn(Socket socket) throws Exception {
        TurnCredentials c = relay.credentials("@alice:tern.test");
        return TurnClient.overStream(socket, java.time.Duration.ofSeconds(5)).credentials(c.username(), c.password());
    }

    private static String httpGet(Socket s) throws Exception {
        OutputStream out = s.getOutputStream();
        out.write("GET /.well-known/matrix/client HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    }

    /** Reads until the server closes; fails when it has not closed within {@code within}. */
    private static long closedAfterMillis(Socket s, Duration within) throws Exception {
        long start = System.nanoTime();
        s.setSoTimeout((int) within.toMillis());
        InputStream in = s.getInputStream();
        try {
            while (in.read() >= 0) {
                // drain until the server closes
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the connection was still open after " + within.toMillis() + " ms");
        } catch (java.io.IOException e) {
            // a reset is a close too
        }
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }

    @Test
    void uclientRelaysOverPlainTcpThroughTheSharedPortWithoutLoss() throws Exception {
        Uclient.assertNothingLost(Uclient.run(port(ListenEndpoint.Scheme.TCP_HTTP), peerPort,
                "-t", "-m", "2", "-n", "100", "-l", "160", "-z", "5"), 200);
    }

    @Test
    void sendsEachTlsConnectionToTurnOrHttpByAlpnOrFirstBytes() throws Exception {
        int port = port(ListenEndpoint.Scheme.TLS_HTTPS);
        httpSeen.clear();
        try (SSLSocket noAlpn = tls(plain(port), List.of())) {
            assertTrue(httpGet(noAlpn).endsWith("tern"));
        }
        try (SSLSocket h1 = tls(plain(port), List.of("http/1.1"))) {
            assertEquals("http/1.1", h1.getApplicationProtocol());
            assertTrue(httpGet(h1).endsWith("tern"));
        }
        try (SSLSocket h2 = tls(plain(port), List.of("h2", "http/1.1"))) {
            assertEquals("h2", h2.getApplicationProtocol(), "the server prefers h2");
            h2.getOutputStream().write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            h2.getOutputStream().flush();
            h2.getInputStream().readAllBytes();
        }
        assertEquals(List.of(HttpProtocol.HTTP_1_1, HttpProtocol.HTTP_1_1, HttpProtocol.HTTP_2), List.copyOf(httpSeen));
        try (TurnClient byAlpn = turn(tls(plain(port), List.of("stun.turn")));
                TurnClient byBytes = turn(tls(plain(port), List.of()))) {
            assertEquals("stun.turn", ((SSLSocket) byAlpn.streamSocket()).getApplicationProtocol());
            assertTrue(byAlpn.allocate().success());
            assertTrue(byBytes.allocate().success());
        }
    }

    @Test
    void closesAClientSilentAfterItsHandshakeAtTheDeadlineAndGarbageAtOnceWhileOthersAreServed() throws Exception {
        int port = port(ListenEndpoint.Scheme.TLS_HTTPS);
        long start = System.nanoTime();
        try (SSLSocket silent = tls(plain(port), List.of());
                SSLSocket garbage = tls(plain(port), List.of());
                TurnClient working = turn(proxied(plain(port(ListenEndpoint.Scheme.TCP_HTTP)), "198.51.100.10",
                        4000))) {
            garbage.getOutputStream().write(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, 3, 4, 5, 6, 7});
            garbage.getOutputStream().flush();
            assertTrue(closedAfterMillis(garbage, Duration.ofMillis(2500)) < 2500, "garbage is closed before the deadline");
            closedAfterMillis(silent, FIRST_BYTES.multipliedBy(3));
            long silentFor = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertTrue(silentFor >= FIRST_BYTES.toMillis() - 100, "closed at the deadline, not before (" + silentFor
                    + " ms after connecting)");
            assertTrue(working.allocate().success(), "the other client is served");
        }
    }

    @Test
    void aTrustedProxysHeaderSetsTheClientAddressTheRelaySees() throws Exception {
        try (TurnClient v1 = turn(proxied(plain(port(ListenEndpoint.Scheme.TCP_HTTP)), "203.0.113.7", 5000));
                TurnClient v2 = turn(proxiedV2(plain(port(ListenEndpoint.Scheme.TCP_HTTP)), "203.0.113.8", 5001));
                TurnClient beforeTls = turn(tls(proxied(plain(port(ListenEndpoint.Scheme.TLS_HTTPS)),
                        "203.0.113.9", 5002), List.of()))) {
            assertTrue(v1.allocate().success());
            assertTrue(v2.allocate().success(), "another client behind the same proxy has its own quota");
            assertTrue(beforeTls.allocate().success());
            List<InetSocketAddress> clients = relay.server().allocations().stream().map(a -> a.addresses().client())
                    .toList();
            assertTrue(clients.contains(new InetSocketAddress("203.0.113.7", 5000)), clients::toString);
            assertTrue(clients.contains(new InetSocketAddress("203.0.113.8", 5001)), clients::toString);
            assertTrue(relay.server().allocations().stream().anyMatch(a -> a.addresses().transport() == Transport.TLS
                    && a.addresses().client().equals(new InetSocketAddress("203.0.113.9", 5002))), clients::toString);
            List<TurnClient> more = new java.util.ArrayList<>();
            try {
                for (int i = 1; i < MAX_PER_SOURCE; i++) {
                    more.add(turn(proxied(plain(port(ListenEndpoint.Scheme.TCP_HTTP)), "203.0.113.7", 5010 + i)));
                    assertTrue(more.get(more.size() - 1).allocate().success());
                }
                more.add(turn(proxied(plain(port(ListenEndpoint.Scheme.TCP_HTTP)), "203.0.113.7", 5020)));
                assertEquals(486, more.get(more.size() - 1).allocate().errorCode(),
                        "the per-source quota counts the address the proxy gave, not the proxy's");
            } finally {
                for (TurnClient c : more) {
                    c.close();
                }
            }
        }
    }

    @Test
    void refusesAProxyHeaderFromAnUntrustedAddress() throws Exception {
        int port = port(ListenEndpoint.Scheme.TCP_HTTP);
        try (Socket untrusted = new Socket()) {
            untrusted.bind(new InetSocketAddress("127.0.0.3", 0));
            untrusted.connect(new InetSocketAddress("127.0.0.1", port));
            proxied(untrusted, "203.0.113.50", 6000);
            untrusted.getOutputStream().write(new byte[20]);
            assertTrue(closedAfterMillis(untrusted, Duration.ofMillis(2500)) < 2500);
        }
        assertEquals(1, relay.metrics().count("tern_connections_refused", Map.of("listener", "turn", "reason",
                "proxy")), "the refusal is counted");
        try (Socket direct = new Socket()) {
            direct.bind(new InetSocketAddress("127.0.0.3", 0));
            direct.connect(new InetSocketAddress("127.0.0.1", port));
            direct.setSoTimeout(5000);
            assertTrue(httpGet(direct).endsWith("tern"), "the same address without a header is served");
        }
    }

    /** Writes a PROXY protocol v1 header naming {@code client}. */
    private static Socket proxied(Socket s, String client, int clientPort) throws Exception {
        String header = "PROXY TCP4 " + client + " 127.0.0.1 " + clientPort + " " + s.getPort() + "\r\n";
        s.getOutputStream().write(header.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    /** Writes a PROXY protocol v2 header (binary, PROXY command, TCP over IPv4) naming {@code client}. */
    private static Socket proxiedV2(Socket s, String client, int clientPort) throws Exception {
        ByteBuf b = Unpooled.buffer();
        b.writeBytes(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
        b.writeByte(0x21).writeByte(0x11).writeShort(12);
        b.writeBytes(InetAddress.getByName(client).getAddress()).writeBytes(new byte[] {127, 0, 0, 1});
        b.writeShort(clientPort).writeShort(s.getPort());
        byte[] bytes = new byte[b.readableBytes()];
        b.readBytes(bytes);
        b.release();
        s.getOutputStream().write(bytes);
        s.getOutputStream().flush();
        return s;
    }
}
