package dev.tern.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * The client side of a test's TLS: a context trusting exactly the test's own certificates (like those of
 * {@link SelfSignedCertificate}), and a JDK TLS socket handshaken over a connected plain socket, offering the given
 * ALPN protocols. Stateless.
 */
public final class TlsClient {

    private TlsClient() {
    }

    /** Reads one PEM (or DER) X.509 certificate. */
    public static X509Certificate read(Path cert) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(cert)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** A TLS context trusting exactly the certificate in this file. */
    public static SSLContext trusting(Path cert) throws IOException, GeneralSecurityException {
        return trusting(read(cert));
    }

    /** A TLS context trusting exactly these certificates. */
    public static SSLContext trusting(X509Certificate... certs) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        for (int i = 0; i < certs.length; i++) {
            store.setCertificateEntry("c" + i, certs[i]);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /**
     * A TLS client over {@code under} (already connected; closed with the TLS socket), handshaken with the server
     * as {@code 127.0.0.1}, offering {@code alpn} (none when empty), reads timing out after {@code timeout}.
     *
     * @throws IOException when the handshake fails (the TLS socket is closed then)
     */
    public static SSLSocket handshake(SSLContext trust, Socket under, Duration timeout, String... alpn)
            throws IOException {
        SSLSocket s = (SSLSocket) trust.getSocketFactory().createSocket(under, "127.0.0.1", under.getPort(), true);
        try {
            if (alpn.length > 0) {
                SSLParameters params = s.getSSLParameters();
                params.setApplicationProtocols(alpn);
                s.setSSLParameters(params);
            }
            s.setSoTimeout(Math.toIntExact(timeout.toMillis()));
            s.startHandshake();
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }
}
