package dev.tern.relay.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.relay.RelayConfig;
import dev.tern.testing.Processes;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading and reloading the TLS certificate, with certificates made by the real {@code openssl}. */
class ReloadingSslContextIT {

    @TempDir
    Path dir;

    private void selfSigned(String name) throws Exception {
        Processes.require("openssl", "install it (apt-get install -y openssl)");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=" + name, "-keyout",
                dir.resolve(name + ".key").toString(), "-out", dir.resolve(name + ".crt").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "openssl made a certificate");
        } finally {
            p.destroyForcibly();
        }
    }

    /** Installs a file as a renewal would, with a modification time that surely differs from before. */
    private void install(String from, String to, long second) throws Exception {
        Files.copy(dir.resolve(from), dir.resolve(to), StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(dir.resolve(to), FileTime.from(Instant.ofEpochSecond(1_700_000_000L + second)));
    }

    @Test
    void keepsTheLoadedCertificateUntilTheNewKeyMatchesThenSwitches() throws Exception {
        selfSigned("a");
        selfSigned("b");
        install("a.crt", "cert.pem", 1);
        install("a.key", "key.pem", 1);
        try (ReloadingSslContext tls = new ReloadingSslContext(RelayConfig.Tls.of(dir.resolve("cert.pem"),
                dir.resolve("key.pem")))) {
            SslContext first = tls.current();
            assertFalse(tls.reloadIfChanged(), "nothing changed");
            install("b.crt", "cert.pem", 2);
            assertFalse(tls.reloadIfChanged(), "a certificate with the old key is not served");
            assertSame(first, tls.current());
            install("b.key", "key.pem", 3);
            assertTrue(tls.reloadIfChanged(), "certificate and key match again");
            assertNotSame(first, tls.current());
            assertTrue(List.of("OPENSSL", "JDK").contains(tls.provider().name()));
        }
    }

    @Test
    void refusesToStartWithAKeyThatIsNotTheCertificates() throws Exception {
        selfSigned("a");
        selfSigned("b");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new ReloadingSslContext(
                RelayConfig.Tls.of(dir.resolve("a.crt"), dir.resolve("b.key"))));
        assertTrue(e.getMessage().contains("is not the private key of the first certificate"), e.getMessage());
        Files.writeString(dir.resolve("junk.key"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        e = assertThrows(IllegalStateException.class, () -> new ReloadingSslContext(
                RelayConfig.Tls.of(dir.resolve("a.crt"), dir.resolve("junk.key"))));
        assertTrue(e.getMessage().contains("PKCS#8"), e.getMessage());
        assertEquals(-1, e.getMessage().indexOf("AAAA"), "no key material in messages");
    }
}
