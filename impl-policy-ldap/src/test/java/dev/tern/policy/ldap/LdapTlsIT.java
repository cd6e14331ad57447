package dev.tern.policy.ldap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.util.ssl.KeyStoreKeyManager;
import com.unboundid.util.ssl.SSLUtil;
import com.unboundid.util.ssl.TrustAllTrustManager;
import com.unboundid.util.ssl.cert.ManageCertificates;
import dev.tern.api.Secret;
import dev.tern.api.Subject;
import dev.tern.policy.PolicySettings;
import dev.tern.spi.InvalidSettingException;
import dev.tern.testing.MutableClock;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ldap source over LDAPS and StartTLS against a directory with a freshly made certificate. URLs
 * name {@code localhost}, not {@code 127.0.0.1}: UnboundID's host name check accepts any certificate
 * on a loopback IP address, so only a name proves the check runs.
 */
class LdapTlsIT {

    private static final LdapRule STAFF = new LdapRule("staff-relay", "staff", null, null,
            PolicySettings.builder().forceRelay(true).build());

    @TempDir
    static Path dir;

    private static SSLUtil serverSsl;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @BeforeAll
    static void makeCertificates() throws Exception {
        certificates("server.p12", "trust.p12", "localhost", "127.0.0.1");
        certificates("other.p12", "other-trust.p12", "localhost", "127.0.0.1");
        certificates("wrong-host.p12", "wrong-host-trust.p12", "ldap.example.net", "192.0.2.1");
        serverSsl = serverSsl("server.p12");
    }

    private static SSLUtil serverSsl(String keyStore) throws Exception {
        return new SSLUtil(new KeyStoreKeyManager(dir.resolve(keyStore).toFile(), "store-pw".toCharArray(),
                "PKCS12", "server"), new TrustAllTrustManager());
    }

    private static void certificates(String keyStore, String trustStore, String name, String ip) {
        String pem = dir.resolve(keyStore + ".pem").toString();
        run("generate-self-signed-certificate", "--keystore", dir.resolve(keyStore).toString(), "--keystore-password",
                "store-pw", "--keystore-type", "PKCS12", "--alias", "server", "--subject-dn", "CN=" + name,
                "--subject-alternative-name-dns", name, "--subject-alternative-name-ip-address", ip, "--days-valid", "2", "--key-algorithm", "EC",
                "--key-size-bits", "256", "--signature-algorithm", "SHA256withECDSA");
        run("export-certificate", "--keystore", dir.resolve(keyStore).toString(), "--keystore-password", "store-pw",
                "--alias", "server", "--output-file", pem, "--output-format", "PEM");
        run("import-certificate", "--keystore", dir.resolve(trustStore).toString(), "--keystore-password", "trust-pw",
                "--keystore-type", "PKCS12", "--alias", "ca", "--certificate-file", pem, "--no-prompt");
    }

    private static void run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ResultCode result = ManageCertificates.main(null, out, out, args);
        assertEquals(ResultCode.SUCCESS, result, out.toString());
    }

    private LdapSourceConfig config(String url, Boolean startTls, String trustStore, Boolean trustAll) {
        return LdapSourceConfig.builder()
                .url(url)
                .startTls(startTls)
                .trustStore(trustStore == null ? null : dir.resolve(trustStore))
                .trustStorePassword(trustStore == null ? null : Secret.of("trust-pw"))
                .trustAll(trustAll)
                .bindDn("cn=tern,ou=services,dc=example,dc=org")
                .bindPassword(Secret.of("bind-secret"))
                .baseDn("ou=people,dc=example,dc=org")
                .rules(List.of(STAFF))
                .poolSize(1)
                .connectTimeout(Duration.ofSeconds(5))
                .responseTimeout(Duration.ofSeconds(5))
                .serverNames(List.of("example.org"))
                .build();
    }

    private boolean aliceForced(LdapSourceConfig config) throws Exception {
        try (var source = new LdapPolicySource(config, clock)) {
            return source.evaluate(Subject.user("@alice:example.org")).toCompletableFuture().get(20, TimeUnit.SECONDS)
                    .policy().forceRelay().orElse(false);
        }
    }

    @Test
    void ldapsVerifiesTheCertificateAgainstTheTrustStore() throws Exception {
        try (var directory = new TestDirectory(InMemoryListenerConfig.createLDAPSConfig("ldaps",
                InetAddress.getLoopbackAddress(), 0, serverSsl.createSSLServerSocketFactory(), null))) {
            assertTrue(aliceForced(config(directory.url("ldaps", "localhost"), null, "trust.p12", null)));
            assertThrows(ExecutionException.class,
                    () -> aliceForced(config(directory.url("ldaps", "localhost"), null, "other-trust.p12", null)),
                    "a certificate from another CA is refused");
            assertThrows(ExecutionException.class, () -> aliceForced(config(directory.url("ldaps", "localhost"), null, null, null)),
                    "a self-signed certificate is not trusted by the JVM's CAs");
            assertTrue(aliceForced(config(directory.url("ldaps", "localhost"), null, null, true)), "trust_all accepts it");
        }
    }

    @Test
    void trustedCertificateForAnotherHostIsRefused() throws Exception {
        try (var directory = new TestDirectory(InMemoryListenerConfig.createLDAPSConfig("ldaps",
                InetAddress.getLoopbackAddress(), 0, serverSsl("wrong-host.p12").createSSLServerSocketFactory(), null))) {
            assertThrows(ExecutionException.class,
                    () -> aliceForced(config(directory.url("ldaps", "localhost"), null, "wrong-host-trust.p12", null)));
            assertTrue(aliceForced(config(directory.url("ldaps", "localhost"), null, null, true)), "trust_all skips the host check");
        }
    }

    @Test
    void startTlsUpgradesThePlainConnection() throws Exception {
        try (var directory = new TestDirectory(InMemoryListenerConfig.createLDAPConfig("ldap",
                InetAddress.getLoopbackAddress(), 0, serverSsl.createSSLSocketFactory()))) {
            assertTrue(aliceForced(config(directory.url("ldap", "localhost"), true, "trust.p12", null)));
            assertThrows(ExecutionException.class,
                    () -> aliceForced(config(directory.url("ldap", "localhost"), true, "other-trust.p12", null)));
        }
    }

    @Test
    void unreadableTrustStoreIsAConfigError() {
        assertEquals("trust_store", assertThrows(InvalidSettingException.class,
                () -> new LdapPolicySource(config("ldaps://127.0.0.1:1", null, "missing.p12", null), clock)).key());
    }
}
