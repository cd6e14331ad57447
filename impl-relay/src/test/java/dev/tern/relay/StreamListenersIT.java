package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.PolicyEvaluator;
import dev.tern.spi.Transport;
import dev.tern.spi.TurnCredentials;
import dev.tern.spi.TurnPolicy;
import dev.tern.turn.client.StunResponse;
import dev.tern.stun.ChannelNumbers;
import dev.tern.stun.StunAttribute;
import dev.tern.stun.StunMethod;
import dev.tern.spi.AllocationView;
import dev.tern.testing.AtOnce;
import dev.tern.testing.Poll;
import dev.tern.testing.Processes;
import dev.tern.turn.client.TurnClient;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TURN over TCP, TLS and TLS-or-TCP on one port against real clients: coturn's
 * {@code turnutils_uclient -t} and {@code -S -t} relaying to {@code turnutils_peer}, a JDK
 * {@code SSLSocket} while the certificate is replaced on disk, and hostile clients (garbage before the
 * handshake, one byte at a time, silence, thousands of connections) while another client is served.
 */
class StreamListenersIT {

    private static final String INSTALL = Uclient.INSTALL;
    private static final String[] LOAD = {"-m", "10", "-n", "300", "-l", "160", "-z", "5"};

    private static Path dir;
    private static Path cert;
    private static Path key;
    private static RelayFixture relay;
    private static Process peer;
    private static int peerPort;

    @BeforeAll
    static void start() throws Exception {
        Processes.require("turnutils_uclient", INSTALL);
        Processes.require("turnutils_peer", INSTALL);
        dir = Files.createTempDirectory("tern-stream-it");
        cert = dir.resolve("fullchain.pem");
        key = dir.resolve("privkey.pem");
        TestCertificates.selfSigned(cert, key, "first");
        relay = RelayFixture.start(config(List.of("udp://127.0.0.1:0", "tcp://127.0.0.1:0", "tls://127.0.0.1:0",
                "tls+tcp://127.0.0.1:0"), new RelayConfig.Tcp(null, 200, null, null, null)), PolicyEvaluator.PERMISSIVE);
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            peerPort = probe.getLocalPort();
        }
        peer = Processes.start(List.of("turnutils_peer", "-L", "127.0.0.1", "-p", Integer.toString(peerPort)));
    }

    @AfterAll
    static void stop() throws Exception {
        Processes.stop(peer);
        if (relay != null) {
            relay.close();
        }
        for (Path p : new Path[] {cert, key}) {
            if (p != null) {
                Files.deleteIfExists(p);
            }
        }
        if (dir != null) {
            Files.deleteIfExists(dir);
        }
    }

    static RelayConfig config(List<String> listen, RelayConfig.Tcp tcp) {
        return RelayConfig.builder(RelayFixture.REALM)
                .listen(listen)
                .ports("40000-60000")
                .allowedPeers("127.0.0.1")
                .threads(2)
                .tls(new RelayConfig.Tls(cert, key, null, Duration.ofMillis(200), Duration.ofSeconds(3)))
                .tcp(tcp)
                .channelNumbers(ChannelNumbers.COTURN)
                .build(); // turnutils_uclient binds channels up to 0x7FFF
    }

    private static int port(RelayFixture r, ListenEndpoint.Scheme scheme) {
        return r.server().listenEndpoints().stream().filter(e -> e.scheme() == scheme).findFirst().orElseThrow()
                .address().getPort();
    }

    private static Processes.Finished uclient(int port, String... flags) throws Exception {
        return Uclient.run(port, peerPort, flags);
    }

    private static void assertNothingLost(Processes.Finished result, long expected) {
        Uclient.assertNothingLost(result, expected);
    }

    private static String[] with(String[] flags, String... more) {
        return Uclient.with(flags, more);
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Poll.until(what, Duration.ofSeconds(15), condition);
    }

    private static SSLSocket tls(int port, SSLContext trust) throws Exception {
        SSLSocket s = (SSLSocket) trust.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(5000);
        s.startHandshake();
        return s;
    }

    private static TurnClient client(Socket socket, RelayFixture r) throws Exception {
        TurnCredentials c = r.credentials("@alice:tern.test");
        return TurnClient.overStream(socket, java.time.Duration.ofSeconds(5)).credentials(c.username(), c.password());
    }

    /** Allocates, binds a channel to a UDP peer and checks data goes both ways (odd sizes, so padded). */
    private static void relaysBothWays(TurnClient client) throws Exception {
        try (DatagramSocket udpPeer = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            udpPeer.setSoTimeout(5000);
            StunResponse allocated = client.allocate();
            assertTrue(allocated.success(), "allocate: " + allocated.errorCode());
            InetSocketAddress relayed = allocated.grant().relayed().orElseThrow();
            assertTrue(client.channelBind(0x4001, (InetSocketAddress) udpPeer.getLocalSocketAddress()).success());
            byte[] out = "to the peer, 21 bytes".getBytes(StandardCharsets.UTF_8);
            client.sendChannelData(0x4001, out);
            DatagramPacket p = new DatagramPacket(new byte[100], 100);
            udpPeer.receive(p);
            assertArrayEquals(out, Arrays.copyOf(p.getData(), p.getLength()));
            byte[] back = "back, 7".getBytes(StandardCharsets.UTF_8);
            udpPeer.send(new DatagramPacket(back, back.length, relayed));
            TurnClient.Received f = client.receive();
            assertEquals(0x4001, f.channel());
            assertArrayEquals(back, f.data());
        }
    }

    @Test
    void namesEachListenerWithItsSchemeAndTheBoundPort() {
        List<String> uris = relay.server().listenUris().stream().map(java.net.URI::toString).toList();
        assertEquals(List.of("udp://127.0.0.1:" + relay.server().listenAddresses().get(0).getPort(),
                "tcp://127.0.0.1:" + port(relay, ListenEndpoint.Scheme.TCP),
                "tls://127.0.0.1:" + port(relay, ListenEndpoint.Scheme.TLS),
                "tls+tcp://127.0.0.1:" + port(relay, ListenEndpoint.Scheme.TLS_OR_TCP)), uris);
    }

    @Test
    void uclientRelaysOverTcpWithoutLoss() throws Exception {
        assertNothingLost(uclient(port(relay, ListenEndpoint.Scheme.TCP), with(LOAD, "-t")), 3000);
    }

    @Test
    void uclientRelaysOverTlsWithoutLoss() throws Exception {
        assertNothingLost(uclient(port(relay, ListenEndpoint.Scheme.TLS), with(LOAD, "-t", "-S")), 3000);
    }

    @Test
    void uclientRelaysOverTcpAndTlsOnOneSniffingPortWithoutLoss() throws Exception {
        int port = port(relay, ListenEndpoint.Scheme.TLS_OR_TCP);
        String[] small = {"-m", "4", "-n", "100", "-l", "160", "-z", "5"};
        // TCP, TLS and TCP with Send indications at once on the one port (12 clients at LOAD's pace, about LOAD's 10):
        // independent clients, and uclient spends most of a run waiting for its clients' late starts.
        AtOnce.run(() -> uclient(port, with(small, "-t")), () -> uclient(port, with(small, "-t", "-S")),
                () -> uclient(port, with(small, "-t", "-s"))).forEach(run -> assertNothingLost(run, 400));
    }

    @Test
    void uclientSendIndicationsOverTlsArriveWithoutLoss() throws Exception {
        assertNothingLost(uclient(port(relay, ListenEndpoint.Scheme.TLS), with(LOAD, "-t", "-S", "-s")), 3000);
    }

    @Test
    void refusesTcpRelayingWith442OverTcp() throws Exception {
        try (TurnClient c = client(new Socket(InetAddress.getLoopbackAddress(),
                port(relay, ListenEndpoint.Scheme.TCP)), relay)) {
            StunResponse r = c.request(StunMethod.ALLOCATE, w -> w.u8Padded(StunAttribute.REQUESTED_TRANSPORT, 6));
            assertEquals(442, r.errorCode());
        }
    }

    @Test
    void appliesThePolicysTransportsToTcpAndTlsClients() throws Exception {
        RelayConfig config = config(List.of("tcp://127.0.0.1:0", "tls://127.0.0.1:0"), null);
        try (RelayPolicyTest.FixedPolicy policy = new RelayPolicyTest.FixedPolicy(
                TurnPolicy.builder().transports(Set.of(Transport.TLS)).build());
                RelayFixture r = RelayFixture.start(config, policy);
                TurnClient plain = client(new Socket(InetAddress.getLoopbackAddress(),
                        port(r, ListenEndpoint.Scheme.TCP)), r);
                TurnClient secure = client(tls(port(r, ListenEndpoint.Scheme.TLS),
                        TestCertificates.trusting(TestCertificates.read(cert))), r)) {
            assertEquals(403, plain.allocate().errorCode(), "TCP is not among the user's transports");
            assertTrue(secure.allocate().success(), "TLS is");
        }
    }

    @Test
    void closingATlsConnectionDeletesItsAllocation() throws Exception {
        RecordingListener events = new RecordingListener();
        relay.server().addListener(events);
        SSLContext trust = TestCertificates.trusting(TestCertificates.read(cert));
        try (TurnClient c = client(tls(port(relay, ListenEndpoint.Scheme.TLS), trust), relay)) {
            relaysBothWays(c);
            assertTrue(relay.server().allocations().stream().anyMatch(a -> a.addresses().transport() == Transport.TLS),
                    relay.server().allocations()::toString);
        }
        await("the allocation to be deleted with its connection", () -> events.events.contains("deleted connection closed"));
        await("no TLS allocation left", () -> relay.server().allocations().stream()
                .map(a -> a.addresses().transport()).noneMatch(t -> t == Transport.TLS));
    }

    @Test
    void plainTcpOnTheSniffingPortIsReportedAsTcpAndTlsAsTls() throws Exception {
        int port = port(relay, ListenEndpoint.Scheme.TLS_OR_TCP);
        SSLContext trust = TestCertificates.trusting(TestCertificates.read(cert));
        try (TurnClient plain = client(new Socket(InetAddress.getLoopbackAddress(), port), relay);
                TurnClient secure = client(tls(port, trust), relay)) {
            assertTrue(plain.allocate().success());
            assertTrue(secure.allocate().success());
            List<Transport> transports = relay.server().allocations().stream().map(a -> a.addresses().transport())
                    .toList();
            assertTrue(transports.contains(Transport.TCP) && transports.contains(Transport.TLS), transports::toString);
        }
    }

    @Test
    void aReplacedCertificateIsServedToNewConnectionsWhileOpenOnesContinue() throws Exception {
        X509Certificate first = TestCertificates.read(cert);
        int port = port(relay, ListenEndpoint.Scheme.TLS);
        Path spareCert = dir.resolve("next-cert.pem");
        Path spareKey = dir.resolve("next-key.pem");
        try {
            TestCertificates.selfSigned(spareCert, spareKey, "second");
            X509Certificate second = TestCertificates.read(spareCert);
            SSLContext trustBoth = TestCertificates.trusting(first, second);
            try (TurnClient old = client(tls(port, trustBoth), relay)) {
                assertEquals(first, ((SSLSocket) old.streamSocket()).getSession().getPeerCertificates()[0]);
                assertTrue(old.allocate().success());
                // The renewal: the key, then the certificate, replaced in place.
                Files.copy(spareKey, key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Files.copy(spareCert, cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                await("a new connection to see the new certificate", () -> {
                    try (SSLSocket fresh = tls(port, trustBoth)) {
                        return fresh.getSession().getPeerCertificates()[0].equals(second);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                // The open session was not dropped: it still works, on its old certificate.
                StunResponse refreshed = old.request(StunMethod.REFRESH, w -> w.u32(StunAttribute.LIFETIME, 600));
                assertTrue(refreshed.success(), "refresh on the old connection: " + refreshed.errorCode());
                assertEquals(first, ((SSLSocket) old.streamSocket()).getSession().getPeerCertificates()[0]);
                try (TurnClient fresh = client(tls(port, TestCertificates.trusting(second)), relay)) {
                    relaysBothWays(fresh);
                }
            }
        } finally {
            Files.deleteIfExists(spareCert);
            Files.deleteIfExists(spareKey);
        }
        assertNotEquals(first, TestCertificates.read(cert));
    }
}
