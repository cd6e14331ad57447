package dev.tern.relay;


import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Self-signed certificates made with the real {@code openssl} at test time, and clients trusting them. */
public final class TestCertificates {

    private TestCertificates() {
    }

    /** Writes a fresh self-signed EC certificate for 127.0.0.1 ({@code CN=cn}) and its PKCS#8 key. */
    public static void selfSigned(Path cert, Path key, String cn) throws Exception {
        dev.tern.testing.SelfSignedCertificate.write(cert, key, cn);
    }

    static X509Certificate read(Path cert) throws Exception {
        try (InputStream in = Files.newInputStream(cert)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** A TLS context trusting exactly these certificates. */
    static SSLContext trusting(X509Certificate... certs) throws Exception {
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
}
