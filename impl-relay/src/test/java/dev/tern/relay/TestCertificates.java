package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Self-signed certificates made with the real {@code openssl} at test time, and clients trusting them. */
public final class TestCertificates {

    private TestCertificates() {
    }

    /** Writes a fresh self-signed EC certificate for 127.0.0.1 ({@code CN=cn}) and its PKCS#8 key. */
    public static void selfSigned(Path cert, Path key, String cn) throws Exception {
        ExternalProcess.require("openssl", "install OpenSSL (apt-get install -y openssl)");
        Path dir = Files.createTempDirectory("tern-cert");
        try {
            Path c = dir.resolve("cert.pem");
            Path k = dir.resolve("key.pem");
            ExternalProcess.Result r = ExternalProcess.run(List.of("openssl", "req", "-x509", "-newkey", "ec",
                    "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=" + cn,
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", k.toString(), "-out", c.toString()), null,
                    Duration.ofSeconds(30));
            assertEquals(0, r.exitCode(), r.output());
            // Replace as a renewal tool does: the key first, then the certificate (the relay must not serve a
            // certificate with the wrong key in between).
            Files.move(k, key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.move(c, cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
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
