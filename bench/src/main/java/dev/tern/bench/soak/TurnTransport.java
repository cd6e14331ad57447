package dev.tern.bench.soak;

import dev.tern.turn.client.TurnClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** How a soak client reaches the relay: the three listeners of the launcher's config. */
enum TurnTransport {
    UDP, TCP, TLS;

    /** How long a request waits for its answer: over UDP the sum of its four retransmission waits. */
    static final Duration ANSWER_WAIT = Duration.ofMillis(3750);

    /** The name in reports (and in JSON): {@code udp}, {@code tcp}, {@code tls}. */
    @com.fasterxml.jackson.annotation.JsonValue
    String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * A connected client with these credentials; over TLS the handshake is done, trusting {@code tls} only.
     */
    TurnClient open(SoakLauncher launcher, TurnCredentials credentials, SSLContext tls) throws IOException {
        return switch (this) {
            case UDP -> {
                DatagramChannel channel = DatagramChannel.open();
                channel.connect(launcher.turn());
                yield TurnClient.over(channel, ANSWER_WAIT).retransmitting()
                        .credentials(credentials.username(), credentials.password());
            }
            case TCP -> TurnClient.overStream(connect(new Socket(), launcher.turn()), ANSWER_WAIT)
                    .credentials(credentials.username(), credentials.password());
            case TLS -> {
                SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(
                        connect(new Socket(), launcher.turns()), "127.0.0.1", launcher.turns().getPort(), true);
                socket.setSoTimeout(5000);
                socket.startHandshake();
                yield TurnClient.overStream(socket, ANSWER_WAIT).credentials(credentials.username(), credentials.password());
            }
        };
    }

    private static Socket connect(Socket socket, InetSocketAddress to) throws IOException {
        try {
            socket.setTcpNoDelay(true);
            socket.connect(to, 5000);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** A TLS context that trusts exactly the certificate in this PEM file. */
    static SSLContext trusting(Path certificatePem) throws IOException {
        try (InputStream in = Files.newInputStream(certificatePem)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("relay", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot trust " + certificatePem + ": " + e.getMessage(), e);
        }
    }
}
