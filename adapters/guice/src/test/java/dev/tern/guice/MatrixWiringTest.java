package dev.tern.guice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import com.sun.net.httpserver.HttpServer;
import dev.tern.spi.PolicyDecision;
import dev.tern.spi.Subject;
import dev.tern.api.Tern;
import dev.tern.spi.TurnPolicy;
import dev.tern.config.ConfigException;
import dev.tern.config.ConfigLoader;
import dev.tern.config.TernConfig;
import dev.tern.spi.AccessTokenVerifier;
import dev.tern.spi.TokenResult;
import dev.tern.matrix.http.MatrixEndpoints;
import dev.tern.matrix.jdk.MatrixExchangeHandler;
import dev.tern.spi.PolicyAnswer;
import dev.tern.spi.PolicySource;
import dev.tern.spi.PolicySourceProvider;
import dev.tern.spi.ProviderContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TernModule wires the Matrix endpoints and the access-token verifier of the {@code matrix} section, served here
 * by the JDK's HTTP server on loopback; the verifier can be overridden like every binding; and a policy source
 * provider the host made itself (holding the host's own group store, no static) is used from config next to the
 * discovered ones.
 */
class MatrixWiringTest {

    @TempDir
    Path dir;

    private static final String BASE = """
            server_name: example.org
            credentials: { type: rest, secrets: ["a-secret-of-some-length-0123456789"], uris: ["turn:turn.example.org"] }
            """;

    private TernConfig load(ConfigLoader loader, String yaml) throws IOException {
        Path file = dir.resolve("tern.yaml");
        Files.writeString(file, yaml);
        return loader.load(file);
    }

    private record Answer(int status, String body) {
    }

    private static Answer get(MatrixEndpoints endpoints, String path, String token) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/", new MatrixExchangeHandler(endpoints));
        server.start();
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.getAddress().getPort() + path));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void theMatrixSectionWiresEndpointsAndTheConfiguredTokenVerifier() throws Exception {
        Injector injector = TernInjector.create(load(ConfigLoader.standard(), BASE + """
                matrix:
                  access_tokens: { type: static, tokens: { "tok-alice": "@alice:example.org" } }
                  well_known: { m.homeserver: { base_url: "https://matrix.example.org" } }
                """));
        try {
            MatrixEndpoints endpoints = injector.getInstance(MatrixEndpoints.class);
            Answer ok = get(endpoints, "/_matrix/client/v3/voip/turnServer", "tok-alice");
            assertEquals(200, ok.status(), ok.body());
            assertTrue(ok.body().contains(":@alice:example.org\""), ok.body());
            assertTrue(ok.body().contains("turn:turn.example.org"), ok.body());
            assertEquals(401, get(endpoints, "/_matrix/client/v3/voip/turnServer", "tok-bob").status());
            assertTrue(get(endpoints, "/.well-known/matrix/client", null).body().contains("matrix.example.org"));
        } finally {
            injector.getInstance(TernLifecycle.class).stop();
        }
    }

    @Test
    void aHomeserverOverridesTheVerifierWithItsOwnSessions() throws Exception {
        Map<String, String> sessions = Map.of("session-1", "@carol:example.org");
        Injector injector = TernInjector.create(load(ConfigLoader.standard(), BASE + """
                matrix:
                  well_known: { m.homeserver: { base_url: "https://matrix.example.org" } }
                """), binder -> binder.bind(AccessTokenVerifier.class).toInstance(AccessTokenVerifier.fromLookup(
                        token -> Optional.ofNullable(sessions.get(token)).map(TokenResult.Valid::user))));
        try {
            Answer ok = get(injector.getInstance(MatrixEndpoints.class), "/_matrix/client/v3/voip/turnServer",
                    "session-1");
            assertEquals(200, ok.status(), ok.body());
            assertTrue(ok.body().contains(":@carol:example.org\""), ok.body());
        } finally {
            injector.getInstance(TernLifecycle.class).stop();
        }
    }

    @Test
    void withoutAccessTokensOrABoundVerifierTheKeyIsNamed() throws Exception {
        TernConfig config = load(ConfigLoader.standard(), BASE + """
                matrix:
                  well_known: { m.homeserver: { base_url: "https://matrix.example.org" } }
                """);
        ConfigException e = assertThrows(ConfigException.class, () -> TernInjector.create(config));
        String problem = e.problems().get(0).toString();
        assertTrue(problem.contains("matrix.access_tokens: is required to serve /voip/turnServer"), problem);
    }

    @Test
    void withoutAMatrixSectionNothingOfItIsBound() throws Exception {
        Injector injector = TernInjector.create(load(ConfigLoader.standard(), BASE));
        try {
            assertTrue(injector.getInstance(Key.get(new TypeLiteral<Optional<MatrixEndpoints>>() { })).isEmpty());
        } finally {
            injector.getInstance(TernLifecycle.class).stop();
        }
    }

    /** A source a homeserver writes over its own group store, which it hands to the provider's constructor. */
    private record HostGroupsProvider(String type, Map<String, Set<String>> groupStore)
            implements PolicySourceProvider<HostGroupsProvider.Config> {

        record Config(String group) {
        }

        @Override
        public Class<Config> configType() {
            return Config.class;
        }

        @Override
        public PolicySource create(Config config, ProviderContext context) {
            return new PolicySource() {
                @Override
                public CompletionStage<PolicyAnswer> evaluate(Subject subject) {
                    boolean member = groupStore.getOrDefault(config.group(), Set.of()).contains(subject.userId());
                    return CompletableFuture.completedFuture(member ? PolicyAnswer.byRule("in " + config.group(),
                            TurnPolicy.builder().forceRelay(true).build()) : PolicyAnswer.NONE);
                }

                @Override
                public CompletionStage<PolicyAnswer> evaluateServerWide() {
                    return CompletableFuture.completedFuture(PolicyAnswer.NONE);
                }
            };
        }
    }

    @Test
    void aProviderInstanceMadeByTheHostIsUsedNextToTheDiscoveredOnes() throws Exception {
        Map<String, Set<String>> groupStore = Map.of("legal", Set.of("@dana:example.org"));
        ConfigLoader loader = ConfigLoader.builder().addPolicySource(new HostGroupsProvider("host-groups", groupStore)).build();
        assertTrue(loader.policySources().types().containsAll(java.util.List.of("host-groups", "listed-users", "file")),
                loader.policySources().types().toString());
        Injector injector = TernInjector.create(load(loader, BASE + """
                policy:
                  sources:
                    - { type: host-groups, name: groups, group: legal }
                    - { type: listed-users, users: ["@erin:example.org"] }
                """));
        try {
            Tern tern = injector.getInstance(Tern.class);
            PolicyDecision dana = tern.explain(Subject.user("@dana:example.org")).toCompletableFuture().join();
            assertTrue(dana.forceRelay(), dana.toString());
            assertTrue(dana.toString().contains("in legal"), dana.toString());
            PolicyDecision erin = tern.explain(Subject.user("@erin:example.org")).toCompletableFuture().join();
            assertTrue(erin.forceRelay(), "the discovered source still answers");
        } finally {
            injector.getInstance(TernLifecycle.class).stop();
        }
    }

    @Test
    void aProviderInstanceClaimingADiscoveredTypeIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ConfigLoader.builder()
                .addPolicySource(new HostGroupsProvider("listed-users", Map.of())).build());
        assertTrue(e.getMessage().contains("claim type"), e.getMessage());
    }
}
