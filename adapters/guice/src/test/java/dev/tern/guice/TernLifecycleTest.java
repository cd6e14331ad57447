package dev.tern.guice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import dev.tern.spi.PolicyEvaluator;
import dev.tern.api.Tern;
import dev.tern.config.ConfigException;
import dev.tern.config.ConfigLoader;
import dev.tern.config.TernConfig;
import dev.tern.guice.fixtures.HmacIssuerProvider;
import dev.tern.guice.fixtures.ListedUsersSourceProvider;
import dev.tern.guice.fixtures.LoopbackRelayProvider;
import dev.tern.host.ConfiguredPolicySource;
import dev.tern.spi.CredentialIssuer;
import dev.tern.spi.RelayServer;
import dev.tern.spi.Verification;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TernLifecycleTest {

    @TempDir
    Path dir;

    private TernConfig config(String yaml) throws IOException {
        Path file = dir.resolve("tern.yaml");
        Files.writeString(file, yaml);
        return ConfigLoader.standard().load(file);
    }

    @Test
    void relayGetsTheIssuersVerifierAndThePolicy() throws Exception {
        Injector injector = TernInjector.create(config("""
                server_name: example.org
                credentials: { type: test-hmac, secret: a-secret-of-some-length }
                relay: { type: loopback-test, realm: example.org }
                """));
        try {
            LoopbackRelayProvider.Relay relay = (LoopbackRelayProvider.Relay) injector.getInstance(RelayServer.class);
            HmacIssuerProvider.Issuer issuer = (HmacIssuerProvider.Issuer) injector.getInstance(CredentialIssuer.class);
            assertSame(issuer, ((HmacIssuerProvider.Verifier) relay.context().credentialVerifier()).issuer());
            assertSame(injector.getInstance(PolicyEvaluator.class), relay.context().policy());
            assertEquals("example.org", relay.context().serverName());
            String username = issuer.issue(dev.tern.spi.Subject.user("@a:example.org"), java.time.Duration.ofHours(1))
                    .username();
            assertTrue(relay.context().credentialVerifier().verify(username, "example.org")
                    instanceof Verification.Accepted);
            assertSame(relay, injector.getInstance(Tern.class).relay().orElseThrow());
        } finally {
            injector.getInstance(TernLifecycle.class).stop();
        }
    }

    @Test
    void startsTheRelayAndStopsEverythingInReverseOrder() throws Exception {
        Injector injector = TernInjector.create(config("""
                server_name: example.org
                credentials: { type: test-hmac, secret: a-secret-of-some-length }
                policy:
                  sources: [{ type: listed-users, users: ["@a:example.org"] }]
                relay: { type: loopback-test, realm: example.org }
                """));
        TernLifecycle lifecycle = injector.getInstance(TernLifecycle.class);
        LoopbackRelayProvider.Relay relay = (LoopbackRelayProvider.Relay) injector.getInstance(RelayServer.class);
        HmacIssuerProvider.Issuer issuer = (HmacIssuerProvider.Issuer) injector.getInstance(CredentialIssuer.class);
        Set<ConfiguredPolicySource> sources = injector.getInstance(Key.get(new TypeLiteral<>() { }));
        ScheduledExecutorService scheduler = injector.getInstance(ScheduledExecutorService.class);
        try {
            assertTrue(relay.listenAddresses().isEmpty(), "not started by injection");
            lifecycle.start();
            lifecycle.start();
            InetSocketAddress bound = relay.listenAddresses().get(0);
            assertThrows(SocketException.class, () -> new DatagramSocket(bound).close(), "the relay holds its port");
        } finally {
            lifecycle.stop();
        }
        assertTrue(relay.listenAddresses().isEmpty());
        assertFalse(relay.issuerClosedAtStop(), "the relay stops before the issuer closes");
        assertFalse(relay.schedulerDownAtStop(), "the relay stops before the scheduler shuts down");
        assertTrue(issuer.closed());
        assertTrue(((ListedUsersSourceProvider.Source) sources.iterator().next().source()).closed());
        assertTrue(scheduler.isShutdown());
        lifecycle.stop();
        assertEquals(1, relay.stops(), "stop is idempotent");
        assertThrows(IllegalStateException.class, lifecycle::start);
    }

    @Test
    void failsToStartWithTheRelaysReasonAndStillStopsCleanly() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            Injector injector = TernInjector.create(config("""
                    server_name: example.org
                    credentials: { type: test-hmac, secret: a-secret-of-some-length }
                    relay: { type: loopback-test, port: %d }
                    """.formatted(taken.getLocalPort())));
            TernLifecycle lifecycle = injector.getInstance(TernLifecycle.class);
            IllegalStateException e = assertThrows(IllegalStateException.class, lifecycle::start);
            assertTrue(e.getMessage().startsWith("Could not start the relay: "), e.getMessage());
            assertTrue(e.getCause() instanceof java.io.UncheckedIOException, String.valueOf(e.getCause()));
            lifecycle.stop();
            assertTrue(((HmacIssuerProvider.Issuer) injector.getInstance(CredentialIssuer.class)).closed());
            assertTrue(injector.getInstance(ScheduledExecutorService.class).isShutdown());
        }
    }

    @Test
    void refusesARelayWhoseIssuerCannotVerify() throws IOException {
        TernConfig config = config("""
                server_name: example.org
                credentials: { type: test-hmac, secret: a-secret-of-some-length, verifying: false }
                relay: { type: loopback-test }
                """);
        ConfigException e = assertThrows(ConfigException.class, () -> TernInjector.create(config));
        String problem = e.problems().get(0).toString();
        assertTrue(problem.startsWith(dir.resolve("tern.yaml") + ", line 3: relay: the relay needs credentials it can "
                + "verify, but the configured issuer (" + HmacIssuerProvider.Issuer.class.getName()
                + ") has no verifier"), problem);
    }

    @Test
    void refusesARelayWithoutCredentials() throws IOException {
        TernConfig config = config("""
                server_name: example.org
                relay: { type: loopback-test }
                """);
        ConfigException e = assertThrows(ConfigException.class, () -> TernInjector.create(config));
        assertEquals(dir.resolve("tern.yaml") + ", line 2: relay: the relay needs a 'credentials' section to check "
                + "clients' credentials (type rest or static)", e.problems().get(0).toString());
    }
}
