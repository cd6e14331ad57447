package dev.tern.policy.ldap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldif.LDIFReader;
import dev.tern.spi.PolicyDecision;
import dev.tern.spi.PolicyField;
import dev.tern.spi.Provenance;
import dev.tern.spi.Secret;
import dev.tern.spi.Subject;
import dev.tern.spi.TurnPolicy;
import dev.tern.policy.DecisionExplainer;
import dev.tern.policy.PolicyEngine;
import dev.tern.policy.PolicySettings;
import dev.tern.policy.file.FileSourceConfig;
import dev.tern.policy.wellknown.WellKnownSourceConfig;
import dev.tern.host.ConfiguredPolicySource;
import dev.tern.spi.MetricsRecorder;
import dev.tern.spi.PolicySource;
import dev.tern.spi.PolicySourceProvider;
import dev.tern.spi.PolicySourceSettings;
import dev.tern.spi.ProviderContext;
import dev.tern.host.SimpleProviderContext;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three built-in sources found through {@link ServiceLoader}, created by their providers the way
 * a host does, and composed by the engine: the file source matches on groups the ldap source found,
 * and the well-known document feeds the server-wide answer.
 */
class ComposedSourcesIT {

    @TempDir
    Path dir;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private InMemoryDirectoryServer directory;
    private HttpServer web;

    @BeforeEach
    void start() throws Exception {
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig("dc=example,dc=org");
        config.setSchema(null);
        config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("test", InetAddress.getLoopbackAddress(), 0,
                null));
        directory = new InMemoryDirectoryServer(config);
        try (InputStream ldif = getClass().getResourceAsStream("/ldap/directory.ldif")) {
            directory.importFromLDIF(true, new LDIFReader(ldif));
        }
        directory.startListening();

        web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        web.createContext("/.well-known/matrix/client", exchange -> {
            byte[] body = "{\"im.vector.riot.forceTurn\": true}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        web.start();
    }

    @AfterEach
    void stop() {
        web.stop(0);
        directory.shutDown(true);
        scheduler.shutdownNow();
    }

    @SuppressWarnings("unchecked")
    private static <C> PolicySource create(PolicySourceProvider<C> provider, Object config, ProviderContext context) {
        return provider.create((C) provider.configType().cast(config), context);
    }

    @Test
    void builtInSourcesComposeThroughTheEngine() throws Exception {
        Map<String, PolicySourceProvider<?>> providers = ServiceLoader.load(PolicySourceProvider.class).stream()
                .map(p -> (PolicySourceProvider<?>) p.get())
                .collect(Collectors.toMap(PolicySourceProvider::type, p -> p));
        assertEquals(java.util.Set.of("file", "ldap", "well-known"), providers.keySet());

        Files.writeString(dir.resolve("policy.yaml"), """
                rules:
                  - name: staff-limits
                    match: { groups: [staff] }
                    set: { max_allocations: 2, turn_allowed: true }
                  - name: everyone
                    set: { max_allocations: 10 }
                """);
        ProviderContext context = new SimpleProviderContext("example.org", Clock.systemUTC(), scheduler,
                HttpClient.newHttpClient(), MetricsRecorder.NONE, SimpleProviderContext.Directories.of(dir));
        PolicySource file = create(providers.get("file"), new FileSourceConfig(Path.of("policy.yaml"), null), context);
        PolicySource ldap = create(providers.get("ldap"), LdapSourceConfig.builder()
                .url("ldap://127.0.0.1:" + directory.getListenPort())
                .bindDn("cn=tern,ou=services,dc=example,dc=org")
                .bindPassword(Secret.of("bind-secret"))
                .baseDn("ou=people,dc=example,dc=org")
                .rules(List.of(new LdapRule("contractors", null, "employeeType", List.of("contractor"),
                        PolicySettings.builder().turnAllowed(false).build())))
                .build(), context);
        PolicySource wellKnown = create(providers.get("well-known"), WellKnownSourceConfig.builder()
                .url("http://127.0.0.1:" + web.getAddress().getPort() + "/.well-known/matrix/client")
                .build(), context);

        List<ConfiguredPolicySource> sources = List.of(
                new ConfiguredPolicySource(new PolicySourceSettings("rules", null, Duration.ofSeconds(10)), file),
                new ConfiguredPolicySource(new PolicySourceSettings("directory", null, Duration.ofSeconds(10)), ldap),
                new ConfiguredPolicySource(new PolicySourceSettings("homeserver", null, Duration.ofSeconds(10)),
                        wellKnown));
        TurnPolicy defaults = TurnPolicy.builder().forceRelay(false).turnAllowed(true).guestsAllowed(true).build();
        try (var engine = new PolicyEngine(defaults, sources, Clock.systemUTC(), scheduler, MetricsRecorder.NONE)) {
            PolicyDecision alice = engine.decide(Subject.user("@alice:example.org")).toCompletableFuture()
                    .get(20, TimeUnit.SECONDS);
            assertEquals(2, alice.maxAllocations().getAsInt());
            assertEquals(new Provenance("rules", "staff-limits"), alice.provenance().get(PolicyField.MAX_ALLOCATIONS));
            assertTrue(alice.forceRelay());
            assertEquals("homeserver", alice.provenance().get(PolicyField.FORCE_RELAY).source());

            PolicyDecision bob = engine.decide(Subject.user("@bob:example.org")).toCompletableFuture()
                    .get(20, TimeUnit.SECONDS);
            assertEquals(10, bob.maxAllocations().getAsInt());
            assertFalse(bob.turnAllowed());
            assertEquals(new Provenance("directory", "contractors"), bob.provenance().get(PolicyField.TURN_ALLOWED));

            PolicyDecision serverWide = engine.decideServerWide().toCompletableFuture().get(20, TimeUnit.SECONDS);
            assertTrue(serverWide.forceRelay());
            assertEquals(10, serverWide.maxAllocations().getAsInt());
            assertTrue(serverWide.turnAllowed());

            String explained = new DecisionExplainer().explain(Subject.user("@bob:example.org"), bob);
            assertTrue(explained.contains("turn_allowed             false      directory / contractors"), explained);
        }
    }
}
