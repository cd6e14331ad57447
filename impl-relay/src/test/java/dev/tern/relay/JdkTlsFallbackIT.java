package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.PolicyEvaluator;
import dev.tern.spi.TurnCredentials;
import dev.tern.relay.tls.ReloadingSslContext;
import dev.tern.turn.client.TurnClient;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * netty-tcnative is optional for tern-relay: without it on the class path, TURN over TLS runs on the JDK's TLS.
 * Failsafe runs this test alone in its own execution ({@code jdk-tls-without-tcnative}) with netty-tcnative
 * removed from the class path, so the absence is real, not simulated; the default execution skips it.
 */
class JdkTlsFallbackIT {

    @TempDir
    Path dir;

    @Test
    void withoutTcnativeTlsClientsAreServedByTheJdkProvider() throws Exception {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("io.netty.internal.tcnative.SSL"),
                "this execution runs without netty-tcnative on the class path");
        assertFalse(OpenSsl.isAvailable());
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        TestCertificates.selfSigned(cert, key, "jdk-tls");
        RelayConfig.Tls tls = RelayConfig.Tls.of(cert, key);
        try (ReloadingSslContext context = new ReloadingSslContext(tls)) {
            assertEquals(SslProvider.JDK, context.provider());
        }
        RelayConfig config = RelayConfig.builder(RelayFixture.REALM)
                .listen("tls://127.0.0.1:0")
                .ports("40000-60000")
                .allowedPeers("127.0.0.1")
                .threads(1)
                .tls(tls)
                .build();
        try (RelayFixture relay = RelayFixture.start(config, PolicyEvaluator.PERMISSIVE)) {
            int port = relay.server().listenAddresses().get(0).getPort();
            SSLSocket socket = (SSLSocket) TestCertificates.trusting(TestCertificates.read(cert)).getSocketFactory()
                    .createSocket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout(5000);
            socket.startHandshake();
            TurnCredentials credentials = relay.credentials("@alice:tern.test");
            try (TurnClient client = TurnClient.overStream(socket, java.time.Duration.ofSeconds(5))
                    .credentials(credentials.username(), credentials.password())) {
                assertTrue(client.allocate().success(), "an allocation over the JDK's TLS");
            }
        }
    }
}
