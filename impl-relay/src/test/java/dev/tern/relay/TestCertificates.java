package dev.tern.relay;


import dev.tern.testing.TlsClient;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;

/** Self-signed certificates made with the real {@code openssl} at test time, and clients trusting them. */
public final class TestCertificates {

    private TestCertificates() {
    }

    /** Writes a fresh self-signed EC certificate for 127.0.0.1 ({@code CN=cn}) and its PKCS#8 key. */
    public static void selfSigned(Path cert, Path key, String cn) throws Exception {
        dev.tern.testing.SelfSignedCertificate.write(cert, key, cn);
    }

    static X509Certificate read(Path cert) throws Exception {
        return TlsClient.read(cert);
    }

    /** A TLS context trusting exactly these certificates. */
    static SSLContext trusting(X509Certificate... certs) throws Exception {
        return TlsClient.trusting(certs);
    }
}
