package dev.tern.guice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import com.google.inject.util.Modules;
import dev.tern.api.CredentialsOutcome;
import dev.tern.spi.PolicyDecision;
import dev.tern.spi.PolicyEvaluator;
import dev.tern.spi.PolicyField;
import dev.tern.spi.Provenance;
import dev.tern.spi.Subject;
import dev.tern.api.Tern;
import dev.tern.spi.TurnCredentials;
import dev.tern.config.ConfigException;
import dev.tern.config.ConfigLoader;
import dev.tern.config.TernConfig;
import dev.tern.guice.fixtures.HmacIssuerProvider;
import dev.tern.guice.fixtures.ListedUsersSourceProvider;
import dev.tern.policy.PolicyEngine;
import dev.tern.host.ConfiguredPolicySource;
import dev.tern.spi.CredentialIssuer;
import dev.tern.spi.MetricsRecorder;
import dev.tern.spi.ProviderContext;
import dev.tern.spi.RelayServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TernModuleTest {

    private static final Subject ALICE = Subject.user("@alice:example.org");
    private static final Subject BOB = Subject.user("@bob:example.org");

    @TempDir
    Path dir;

    private Injector injector;

    @AfterEach
    void stop() {
        if (injector != null) {
            injector.getInstance(TernLifecycle.class).stop();
        }
    }

    private TernConfig config(String yaml) throws IOException {
        Path file = dir.resolve("tern.yaml");
        Files.writeString(file, yaml);
        return ConfigLoader.builder().environment(Map.of("SECRET", "secret-from-env-0123")::get).build().load(file);
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void wiresIssuerPolicyAndFacadeFromYaml() throws Exception {
        injector = TernInjector.create(config("""
                server_name: example.org
                credentials: { type: test-hmac, secret: "${SECRET}", lifetime: 10m }
                policy:
                  defaults: { force_relay: false, guests_allowed: false, max_credential_lifetime: 5m }
                """));
        Tern tern = injector.getInstance(Tern.class);

        CredentialsOutcome.Issued issued = assertInstanceOf(CredentialsOutcome.Issued.class,
                await(tern.credentialsFor(ALICE)));
        TurnCredentials credentials = issued.credentials();
        assertEquals(Duration.ofMinutes(5), credentials.ttl(), "policy's lifetime cap applies");
        assertTrue(credentials.username().endsWith(":@alice:example.org"));
        CredentialsOutcome.Refused refused = assertInstanceOf(CredentialsOutcome.Refused.class,
                await(tern.credentialsFor(Subject.guest("@guest:example.org"))));
        assertEquals(CredentialsOutcome.Reason.GUESTS_NOT_ALLOWED, refused.reason());
        assertEquals(Map.of(), await(tern.wellKnownFragment()));
        assertInstanceOf(PolicyEngine.class, injector.getInstance(PolicyEvaluator.class));
        assertSame(tern, injector.getInstance(Tern.class), "one facade per injector");
        assertTrue(tern.relay().isEmpty());
    }

    @Test
    void usesACustomPolicySourceFoundOnTheClasspath() throws Exception {
        injector = TernInjector.create(config("""
                server_name: example.org
                policy:
                  defaults: { force_relay: false }
                  sources:
                    - { type: listed-users, name: travellers, users: ["@alice:example.org"] }
                """));
        Tern tern = injector.getInstance(Tern.class);

        PolicyDecision alice = await(tern.explain(ALICE));
        assertTrue(alice.forceRelay());
        assertEquals(Optional.of(new Provenance("travellers", "listed")), alice.provenanceOf(PolicyField.FORCE_RELAY));
        PolicyDecision bob = await(tern.explain(BOB));
        assertFalse(bob.forceRelay());
        assertEquals(Optional.of(Provenance.DEFAULTS), bob.provenanceOf(PolicyField.FORCE_RELAY));
    }

    @Test
    void policySourcesReportTheirAnswerTimesToTheBoundMetricsRecorder() throws Exception {
        List<String> timers = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        MetricsRecorder metrics = new MetricsRecorder() {
            @Override
            public void count(String name, Map<String, String> tags, long amount) {
            }

            @Override
            public void time(String name, Map<String, String> tags, Duration duration) {
                timers.add(name + " " + new java.util.TreeMap<>(tags));
            }
        };
        injector = TernInjector.create(config("""
                server_name: example.org
                policy:
                  sources:
                    - { type: listed-users, name: travellers, users: ["@alice:example.org"] }
                """), binder -> binder.bind(MetricsRecorder.class).toInstance(metrics));
        await(injector.getInstance(Tern.class).explain(ALICE));
        assertEquals(List.of("tern_policy_source {result=ok, source=travellers}"), timers);
    }

    @Test
    void composesTheBuiltInFileSourceWithTheCustomOne() throws Exception {
        Files.writeString(dir.resolve("policy.yaml"), """
                rules:
                  - name: everyone
                    set: { max_allocations: 4 }
                """);
        injector = TernInjector.create(config("""
                server_name: example.org
                policy:
                  sources:
                    - { type: file, path: policy.yaml, name: house-rules }
                    - { type: listed-users, users: ["@alice:example.org"], name: travellers }
                """));
        PolicyDecision alice = await(injector.getInstance(Tern.class).explain(ALICE));
        assertEquals(4, alice.maxAllocations().getAsInt());
        assertEquals(Optional.of(new Provenance("house-rules", "everyone")),
                alice.provenanceOf(PolicyField.MAX_ALLOCATIONS));
        assertEquals(Optional.of(new Provenance("travellers", "listed")), alice.provenanceOf(PolicyField.FORCE_RELAY));
    }

    @Test
    void bindsPolicySourcesInConfigOrderWithTheirSettings() throws Exception {
        injector = TernInjector.create(config("""
                server_name: example.org
                policy:
                  sources:
                    - { type: listed-users, users: ["@a:example.org"], name: zeta }
                    - { type: listed-users, users: ["@b:example.org"], on_error: ignore, timeout: 250ms }
                    - { type: listed-users, users: ["@c:example.org"], name: alpha }
                """));
        Set<ConfiguredPolicySource> sources = injector.getInstance(Key.get(new TypeLiteral<>() { }));
        assertEquals(List.of("zeta", "listed-users#1", "alpha"),
                sources.stream().map(s -> s.settings().name()).toList());
        ConfiguredPolicySource second = sources.stream().skip(1).findFirst().orElseThrow();
        assertEquals(Duration.ofMillis(250), second.settings().timeout());
        assertEquals(List.of("zeta", "listed-users#1", "alpha"),
                ((PolicyEngine) injector.getInstance(PolicyEvaluator.class)).sourceNames());
    }

    @Test
    void answersNotConfiguredWithoutACredentialsSection() throws Exception {
        injector = TernInjector.create(config("server_name: example.org\n"));
        assertInstanceOf(CredentialsOutcome.NotConfigured.class,
                await(injector.getInstance(Tern.class).credentialsFor(ALICE)));
        assertEquals(Optional.empty(), injector.getInstance(Key.get(new TypeLiteral<Optional<CredentialIssuer>>() { })));
        assertEquals(Optional.empty(), injector.getInstance(Key.get(new TypeLiteral<Optional<RelayServer>>() { })));
    }

    @Test
    void letsTheHomeserverOverrideTheIssuerAndThePolicy() throws Exception {
        CredentialIssuer own = (subject, cap) -> new TurnCredentials("own", "own-pw", List.of("turn:own"), cap);
        PolicyEvaluator strict = PolicyEvaluator.answering(new PolicyDecision(
                dev.tern.spi.TurnPolicy.builder().forceRelay(true).maxCredentialLifetime(Duration.ofMinutes(1)).build(),
                Map.of(PolicyField.FORCE_RELAY, new Provenance("host", "always"),
                        PolicyField.MAX_CREDENTIAL_LIFETIME, new Provenance("host", "short"))));
        injector = TernInjector.create(config("""
                server_name: example.org
                credentials: { type: test-hmac, secret: "${SECRET}" }
                """), new AbstractModule() {
                    @Override
                    protected void configure() {
                        bind(CredentialIssuer.class).toInstance(own);
                        bind(PolicyEvaluator.class).toInstance(strict);
                    }
                });
        Tern tern = injector.getInstance(Tern.class);
        CredentialsOutcome.Issued issued = assertInstanceOf(CredentialsOutcome.Issued.class,
                await(tern.credentialsFor(ALICE)));
        assertEquals("own", issued.credentials().username());
        assertEquals(Duration.ofMinutes(1), issued.credentials().ttl());
        assertEquals(Map.of(Tern.FORCE_TURN_KEY, true), await(tern.wellKnownFragment()));
        assertSame(strict, injector.getInstance(PolicyEvaluator.class));
    }

    @Test
    void letsTheHomeserverAddAnIssuerTheConfigLacks() throws Exception {
        CredentialIssuer own = (subject, cap) -> new TurnCredentials("own", "own-pw", List.of("turn:own"), cap);
        injector = Guice.createInjector(Modules.override(new TernModule(config("server_name: example.org\n")))
                .with(binder -> binder.bind(CredentialIssuer.class).toInstance(own)));
        assertInstanceOf(CredentialsOutcome.Issued.class, await(injector.getInstance(Tern.class).credentialsFor(ALICE)));
    }

    @Test
    void givesProvidersOneSharedContext() throws Exception {
        MetricsRecorder metrics = new MetricsRecorder() {
            @Override
            public void count(String name, Map<String, String> tags, long amount) {
            }

            @Override
            public void time(String name, Map<String, String> tags, Duration duration) {
            }
        };
        TernConfig config = config("""
                server_name: example.org
                data_directory: state/tern
                credentials: { type: test-hmac, secret: "${SECRET}" }
                """);
        injector = TernInjector.create(config);
        ProviderContext context = ((HmacIssuerProvider.Issuer) injector.getInstance(CredentialIssuer.class)).context();
        assertEquals("example.org", context.serverName());
        assertTrue(Files.isDirectory(dir.resolve("state/tern")), "the data directory is created");
        assertEquals(dir.resolve("state/tern"), context.dataDirectory());
        assertEquals(dir, context.configDirectory());
        assertSame(MetricsRecorder.NONE, context.metrics());
        assertSame(injector.getInstance(ScheduledExecutorService.class), context.scheduler());
        assertSame(context, injector.getInstance(ProviderContext.class));

        Injector withMetrics = TernInjector.create(config, binder -> binder.bind(MetricsRecorder.class)
                .toInstance(metrics));
        assertSame(metrics, withMetrics.getInstance(ProviderContext.class).metrics());
        withMetrics.getInstance(TernLifecycle.class).stop();
    }

    @Test
    void configureOnlyWires() throws Exception {
        TernConfig config = config("""
                server_name: example.org
                data_directory: not-yet
                credentials: { type: test-hmac, secret: "${SECRET}" }
                """);
        injector = Guice.createInjector(new TernModule(config));
        assertFalse(Files.exists(dir.resolve("not-yet")), "nothing is made until injected");
        injector.getInstance(Tern.class);
        assertTrue(Files.exists(dir.resolve("not-yet")));
    }

    @Test
    void reportsAProviderRefusingItsSettingsAtItsKeyPath() throws IOException {
        TernConfig config = config("""
                server_name: example.org
                policy:
                  sources:
                    - { type: listed-users, users: [] }
                """);
        ConfigException e = assertThrows(ConfigException.class, () -> TernInjector.create(config));
        assertEquals(1, e.problems().size(), e.getMessage());
        assertEquals(dir.resolve("tern.yaml") + ", line 4: policy.sources[0].users: must list at least one user id",
                e.problems().get(0).toString());
    }
}
