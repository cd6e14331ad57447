package dev.tern.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.PolicyEvaluator;
import dev.tern.spi.Secret;
import dev.tern.spi.Subject;
import dev.tern.spi.Transport;
import dev.tern.spi.TurnCredentials;
import dev.tern.credentials.rest.RestCredentialsConfig;
import dev.tern.credentials.rest.RestCredentialsProvider;
import dev.tern.relay.NettyRelayServer;
import dev.tern.relay.RelayConfig;
import dev.tern.relay.transport.EventLoops;
import dev.tern.spi.AllocationView;
import dev.tern.spi.CredentialIssuer;
import dev.tern.spi.RelayListener;
import dev.tern.host.SimpleProviderContext;
import dev.tern.stun.ChannelNumbers;
import dev.tern.testing.SelfSignedCertificate;
import dev.tern.testing.TlsClient;
import dev.tern.testing.coturn.TurnutilsPeer;
import dev.tern.testing.coturn.Uclient;
import java.io.DataInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.eclipse.jetty.server.DetectorConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Jetty 12 "homeserver" with TLS on one port handing TURN to a real Tern relay ({@link TurnHandOff} in a
 * {@link DetectorConnectionFactory} after the {@code SslConnectionFactory}, the README's setup): an HTTPS GET is
 * answered by Jetty's handler; a STUN Binding over TLS through Jetty's port is answered by the relay with the JDK
 * client's own address and port (the PROXY v2 header, trusted from 127.0.0.1, carried it); coturn's
 * {@code turnutils_uclient -S -t} allocates and relays 200 messages through the port without loss (it lost about one
 * in ten when a TLS record held parts of several messages: hence one message per record), the relay seeing the
 * allocations from the client's address ({@code -L 127.0.0.2}) rather than the bridge's; and a handed-off connection
 * silent past its idle timeout is closed.
 */
class TurnHandOffIT {

    private static final String SECRET = "tern-jetty-test-secret-0123456789";
    private static final Duration SHORT_IDLE = Duration.ofSeconds(1);

    @TempDir
    static Path dir;
    private static ScheduledExecutorService scheduler;
    private static CredentialIssuer issuer;
    private static NettyRelayServer relay;
    private static Server jetty;
    private static ServerConnector https;
    private static ServerConnector httpsShortIdle;
    private static SSLContext trust;
    private static TurnutilsPeer peer;
    private static final Queue<AllocationView> allocations = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        SelfSignedCertificate.write(cert, key, "127.0.0.1");

        scheduler = Executors.newSingleThreadScheduledExecutor();
        SimpleProviderContext ctx = new SimpleProviderContext("tern.test", Clock.systemUTC(), scheduler,
                HttpClient.newHttpClient(), dev.tern.spi.MetricsRecorder.NONE,
                        SimpleProviderContext.Directories.of(dir));
        issuer = new RestCredentialsProvider().create(RestCredentialsConfig.of(List.of(Secret.of(SECRET)), List.of()),
                ctx);
        RelayConfig config = RelayConfig.builder("tern.test")
                .listen("tcp://127.0.0.1:0")
                .ports("40000-60000")
                .allowedPeers("127.0.0.1")
                .threads(2)
                .channelNumbers(ChannelNumbers.COTURN)
                .proxyProtocol(new RelayConfig.ProxyProtocol(List.of("127.0.0.1/32")))
                .build();
        relay = new NettyRelayServer(config, ctx.forRelay(issuer.verifier().orElseThrow(), PolicyEvaluator.PERMISSIVE),
                EventLoops.detect());
        relay.addListener(new RelayListener() {
            @Override
            public void allocationCreated(AllocationView allocation) {
                allocations.add(allocation);
            }
        });
        relay.start().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
        InetSocketAddress relayTcp = relay.listenAddresses().get(0);

        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(keyStore(cert, key));
        tls.setKeyStorePassword("test");
        tls.setKeyManagerPassword("test");
        jetty = new Server();
        https = new ServerConnector(jetty, tls, new DetectorConnectionFactory(new TurnHandOff(relayTcp)),
                new HttpConnectionFactory());
        https.setHost("127.0.0.1");
        httpsShortIdle = new ServerConnector(jetty, tls,
                new DetectorConnectionFactory(new TurnHandOff(relayTcp, SHORT_IDLE)), new HttpConnectionFactory());
        httpsShortIdle.setHost("127.0.0.1");
        jetty.addConnector(https);
        jetty.addConnector(httpsShortIdle);
        jetty.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.write(true, ByteBuffer.wrap("homeserver".getBytes(StandardCharsets.US_ASCII)), callback);
                return true;
            }
        });
        jetty.start();

        trust = TlsClient.trusting(cert);
        peer = TurnutilsPeer.start(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (peer != null) {
            peer.close();
        }
        if (jetty != null) {
            jetty.stop();
        }
        if (relay != null) {
            relay.stop().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    @Test
    void jettyAnswersHttpsOnThePortItSharesWithTurn() throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(trust).connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + https.getLocalPort() + "/.well-known/matrix/client"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode());
        assertEquals("homeserver", answer.body());
    }

    @Test
    void theRelayAnswersAStunBindingThroughJettyWithTheClientsOwnAddress() throws Exception {
        try (SSLSocket s = tls(https.getLocalPort())) {
            InetSocketAddress mapped = bindingThrough(s);
            assertEquals(new InetSocketAddress(s.getLocalAddress(), s.getLocalPort()), mapped,
                    "the relay saw the address the PROXY header named, not the bridge's socket");
        }
    }

    @Test
    void uclientAllocatesAndRelaysOverTlsThroughJettysPortWithoutLoss() throws Exception {
        allocations.clear();
        TurnCredentials c = issuer.issue(Subject.user("@alice:tern.test"), Duration.ofHours(1));
        Uclient.Run run = Uclient.run(dir, List.of("-S", "-t", "-n", "200", "-m", "1", "-l", "160", "-z", "5", "-c",
                "-u", c.username(), "-w", c.password(), "-e", "127.0.0.1", "-r", Integer.toString(peer.port()),
                "-L", "127.0.0.2", "-X", "-p", Integer.toString(https.getLocalPort()), "127.0.0.1"));
        assertEquals(0, run.exitCode(), run.output());
        assertEquals(0L, run.lost().orElseThrow(), run.output());
        assertEquals(200L, run.received().orElseThrow(), run.output());
        assertFalse(allocations.isEmpty(), "the relay saw no allocation");
        for (AllocationView a : allocations) {
            assertEquals(InetAddress.getByName("127.0.0.2"), a.addresses().client().getAddress(), a::toString);
            assertEquals(Transport.TCP, a.addresses().transport(), a::toString);
        }
    }

    @Test
    void aHandedOffConnectionSilentPastItsIdleTimeoutIsClosed() throws Exception {
        try (SSLSocket s = tls(httpsShortIdle.getLocalPort())) {
            bindingThrough(s);
            long start = System.nanoTime();
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            try {
                assertEquals(-1, in.read(), "nothing but the close after the Binding");
            } catch (SocketTimeoutException e) {
                throw new AssertionError("still open 10 s after the last byte (idle timeout " + SHORT_IDLE + ")");
            } catch (java.io.IOException e) {
                // a reset is a close too
            }
            long waited = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertTrue(waited >= SHORT_IDLE.toMillis() - 200, "closed after " + waited + " ms, before the timeout");
        }
    }

    private static SSLSocket tls(int port) throws Exception {
        return TlsClient.handshake(trust, new Socket(InetAddress.getLoopbackAddress(), port), Duration.ofSeconds(5));
    }

    /** Sends a STUN Binding request and returns the XOR-MAPPED-ADDRESS of the success response. */
    private static InetSocketAddress bindingThrough(SSLSocket s) throws Exception {
        byte[] transaction = new byte[12];
        new SecureRandom().nextBytes(transaction);
        ByteBuffer request = ByteBuffer.allocate(20).putShort((short) 0x0001).putShort((short) 0)
                .putInt(0x2112A442).put(transaction);
        s.getOutputStream().write(request.array());
        s.getOutputStream().flush();
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] header = new byte[20];
        in.readFully(header);
        ByteBuffer h = ByteBuffer.wrap(header);
        assertEquals(0x0101, h.getShort() & 0xFFFF, "a Binding success response");
        byte[] body = new byte[h.getShort() & 0xFFFF];
        in.readFully(body);
        ByteBuffer b = ByteBuffer.wrap(body);
        while (b.remaining() >= 4) {
            int type = b.getShort() & 0xFFFF;
            int length = b.getShort() & 0xFFFF;
            if (type == 0x0020 && length == 8) {
                b.get();
                assertEquals(1, b.get(), "IPv4");
                int port = (b.getShort() & 0xFFFF) ^ 0x2112;
                byte[] address = new byte[4];
                b.get(address);
                int cookie = 0x2112A442;
                for (int i = 0; i < 4; i++) {
                    address[i] ^= (byte) (cookie >>> (24 - 8 * i));
                }
                return new InetSocketAddress(InetAddress.getByAddress(address), port);
            }
            b.position(b.position() + ((length + 3) & ~3));
        }
        throw new AssertionError("no XOR-MAPPED-ADDRESS in the Binding response");
    }

    private static KeyStore keyStore(Path cert, Path key) throws Exception {
        String pem = Files.readString(key).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey privateKey = KeyFactory.getInstance("EC").generatePrivate(
                new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        Certificate certificate = TlsClient.read(cert);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", privateKey, "test".toCharArray(), new Certificate[] {certificate});
        return store;
    }

}
