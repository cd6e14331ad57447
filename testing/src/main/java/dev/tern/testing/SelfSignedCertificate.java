package dev.tern.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Writes a fresh self-signed certificate for tests with OpenSSL: EC P-256, valid two days, for IP 127.0.0.1
 * ({@code subjectAltName}), with its PKCS#8 key. Stateless.
 */
public final class SelfSignedCertificate {

    private SelfSignedCertificate() {
    }

    /**
     * Writes the certificate to {@code cert} and its key to {@code key}, replacing them as a renewal tool does: the
     * key first, then the certificate (a server must not serve a certificate with the wrong key in between).
     *
     * @throws IOException when openssl fails or does not finish within 30 s
     * @throws IllegalStateException when openssl is not installed
     */
    public static void write(Path cert, Path key, String cn) throws IOException {
        Processes.require("openssl", "install OpenSSL (apt-get install -y openssl)");
        Path dir = Files.createTempDirectory("tern-cert");
        try {
            Path c = dir.resolve("cert.pem");
            Path k = dir.resolve("key.pem");
            Path log = dir.resolve("openssl.log");
            Process p = Processes.start(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=" + cn, "-addext",
                    "subjectAltName=IP:127.0.0.1", "-keyout", k.toString(), "-out", c.toString()), log);
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IOException("openssl req failed:\n" + Processes.read(log));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while openssl ran", e);
            } finally {
                Processes.stop(p);
            }
            Files.move(k, key, StandardCopyOption.REPLACE_EXISTING);
            Files.move(c, cert, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }
}
