package dev.tern.matrix.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.config.ConfigException;
import dev.tern.config.ConfigLoader;
import dev.tern.config.ConfigSection;
import dev.tern.config.ProviderCatalog;
import dev.tern.spi.AccessTokenVerifier;
import dev.tern.spi.AccessTokenVerifierProvider;
import dev.tern.spi.TokenResult;
import dev.tern.matrix.auth.whoami.WhoamiConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MatrixConfigTest {

    static final Map<String, Object> WELL_KNOWN = Map.of("m.homeserver", Map.of("base_url", "https://matrix.example.org"));

    @Test
    void bindsEveryKeyFromSnakeCase() {
        MatrixConfig config = ConfigShapes.bind(Map.ofEntries(
                Map.entry("listen", "127.0.0.1:0"),
                Map.entry("access_tokens", Map.of("type", "static", "tokens", Map.of("t", "@a:example.org"))),
                Map.entry("well_known", WELL_KNOWN),
                Map.entry("well_known_upstream", "http://127.0.0.1:8009/.well-known/matrix/client"),
                Map.entry("well_known_upstream_timeout", "500ms"),
                Map.entry("force_turn_false_when_not_forced", true),
                Map.entry("not_configured_response", "not_found"),
                Map.entry("cache_max_age", "10m"),
                Map.entry("rate_limit", Map.of("per_second", 0.2, "burst", 3)),
                Map.entry("unknown_token_limit", Map.of("per_second", 0.05, "burst", 4, "max_addresses", 500)),
                Map.entry("trusted_proxies", List.of("::1", "10.0.0.0/8")),
                Map.entry("cors", false),
                Map.entry("max_header_size", 4096)));
        assertEquals(new InetSocketAddress("127.0.0.1", 0), config.listenAddress().orElseThrow());
        assertEquals(Duration.ofMillis(500), config.wellKnownUpstreamTimeout());
        assertEquals(NotConfiguredResponse.NOT_FOUND, config.notConfiguredResponse());
        assertEquals(Duration.ofMinutes(10), config.cacheMaxAge());
        assertEquals(0.2, config.rateLimit().perSecond());
        assertEquals(3, config.rateLimit().burst());
        assertEquals(new UnknownTokenLimitConfig(0.05, 4, 500), config.unknownTokenLimit());
        assertEquals(false, config.cors());
        assertEquals(4096, config.maxHeaderSize());
        assertTrue(config.forceTurnFalseWhenNotForced());
    }

    @Test
    void appliesDefaults() {
        MatrixConfig config = ConfigShapes.bind(Map.of("well_known", WELL_KNOWN));
        assertEquals(NotConfiguredResponse.EMPTY, config.notConfiguredResponse());
        assertEquals(Duration.ofHours(1), config.cacheMaxAge());
        assertEquals(1.0, config.rateLimit().perSecond());
        assertEquals(10, config.rateLimit().burst());
        assertEquals(new UnknownTokenLimitConfig(0.1, 10, 100_000), config.unknownTokenLimit());
        assertTrue(config.cors());
        assertTrue(config.listenAddress().isEmpty());
        assertTrue(config.wellKnownUpstreamUri().isEmpty());
    }

    @Test
    void bindsTheAccessTokensSectionThroughItsProvider() throws Exception {
        ConfigSection matrix = ConfigShapes.section(Map.of("well_known", WELL_KNOWN,
                "access_tokens", Map.of("type", "whoami", "homeserver", "http://127.0.0.1:8009", "cache_time", "30s")));
        @SuppressWarnings({"unchecked", "rawtypes"})
        ProviderCatalog<AccessTokenVerifierProvider<?>> catalog =
                (ProviderCatalog) ProviderCatalog.discover(AccessTokenVerifierProvider.class);
        var bound = matrix.section("access_tokens").orElseThrow().bindProvider(catalog);
        assertEquals("whoami", bound.provider().type());
        WhoamiConfig whoami = (WhoamiConfig) bound.config();
        assertEquals(Duration.ofSeconds(30), whoami.cacheTime());

        ConfigSection statics = ConfigShapes.section(Map.of("well_known", WELL_KNOWN, "access_tokens",
                Map.of("type", "static", "tokens", Map.of("tok", "@alice:example.org"))));
        var boundStatic = statics.section("access_tokens").orElseThrow().bindProvider(catalog);
        AccessTokenVerifier verifier = boundStatic.provider().createFrom(boundStatic.config(), null);
        assertEquals(TokenResult.Valid.user("@alice:example.org"), verifier.verify("tok").toCompletableFuture().get());

        ConfigException unknown = assertThrows(ConfigException.class, () -> ConfigShapes.section(Map.of(
                "well_known", WELL_KNOWN, "access_tokens", Map.of("type", "ldap"))).section("access_tokens")
                .orElseThrow().bindProvider(catalog));
        assertTrue(unknown.getMessage().contains("static") && unknown.getMessage().contains("whoami"),
                unknown.getMessage());
    }

    @Test
    void refusesAWellKnownWithoutBaseUrl() {
        assertProblem(Map.of("well_known", Map.of("m.homeserver", Map.of())), "well_known");
        assertProblem(Map.of("cors", true), "well_known");
    }

    @Test
    void refusesBadValuesNamingTheKey() {
        assertProblem(Map.of("well_known", WELL_KNOWN, "trusted_proxies", List.of("10.0.0.0/33")), "trusted_proxies[0]");
        assertProblem(Map.of("well_known", WELL_KNOWN, "trusted_proxies", List.of("proxy.example.org")), "trusted_proxies[0]");
        assertProblem(Map.of("well_known", WELL_KNOWN, "listen", "localhost:80"), "listen");
        assertProblem(Map.of("well_known", WELL_KNOWN, "rate_limit", Map.of("per_second", 0)), "per_second");
        assertProblem(Map.of("well_known", WELL_KNOWN, "rate_limit", Map.of("burst", 0)), "burst");
        assertProblem(Map.of("well_known", WELL_KNOWN, "unknown_token_limit", Map.of("per_second", -1)),
                "unknown_token_limit.per_second");
        assertProblem(Map.of("well_known", WELL_KNOWN, "unknown_token_limit", Map.of("max_addresses", 0)),
                "unknown_token_limit.max_addresses");
        assertProblem(Map.of("well_known", WELL_KNOWN, "well_known_upstream", "file:///etc/passwd"), "well_known_upstream");
        assertProblem(Map.of("well_known", WELL_KNOWN, "not_configured_response", "maybe"), "not_configured_response");
        assertProblem(Map.of("well_known", WELL_KNOWN, "cache_max_age", "30d"), "cache_max_age");
        assertProblem(Map.of("well_known", WELL_KNOWN, "max_header_size", 10), "max_header_size");
        assertProblem(Map.of("well_known", WELL_KNOWN, "unknwon_key", 1), "unknwon_key");
    }

    @Test
    void bindsDomainsWithHostsDefaultingToTheServerName() {
        MatrixConfig config = ConfigShapes.bind(Map.of("well_known", WELL_KNOWN, "domains", List.of(
                Map.of("server_name", "b.example:8448", "well_known", Map.of("m.homeserver",
                        Map.of("base_url", "https://matrix.b.example")), "force_relay", true),
                Map.of("server_name", "c.example", "hosts", List.of("C.Example.", "matrix.c.example"),
                        "well_known", Map.of("m.homeserver", Map.of("base_url", "https://matrix.c.example"))))));
        assertEquals(2, config.domains().size());
        assertEquals(List.of("b.example"), config.domains().get(0).hosts());
        assertTrue(config.domains().get(0).forceRelay());
        assertEquals(List.of("c.example", "matrix.c.example"), config.domains().get(1).hosts());
        assertEquals(false, config.domains().get(1).forceRelay());
        assertTrue(ConfigShapes.bind(Map.of("well_known", WELL_KNOWN)).domains().isEmpty());
    }

    @Test
    void refusesBadDomainsNamingTheKeyPath() {
        Map<String, Object> b = Map.of("server_name", "b.example", "well_known", WELL_KNOWN);
        assertProblem(Map.of("well_known", WELL_KNOWN, "domains", List.of(Map.of("server_name", "b.example"))),
                "matrix.domains[0].well_known");
        assertProblem(Map.of("well_known", WELL_KNOWN, "domains", List.of(Map.of("well_known", WELL_KNOWN))),
                "matrix.domains[0].server_name");
        assertProblem(Map.of("well_known", WELL_KNOWN, "domains", List.of(Map.of("server_name", "b.example",
                "well_known", WELL_KNOWN, "hosts", List.of("ok.example", "https://b.example/")))),
                "matrix.domains[0].hosts[1]");
        assertProblem(Map.of("well_known", WELL_KNOWN, "domains", List.of(b, b)), "matrix.domains[1].server_name");
        assertProblem(Map.of("well_known", WELL_KNOWN, "domains", List.of(b, Map.of("server_name", "c.example",
                "hosts", List.of("c.example", "b.example"), "well_known", WELL_KNOWN))), "matrix.domains[1].hosts[1]");
        assertProblem(Map.of("well_known", WELL_KNOWN, "domains", List.of(Map.of("server_name", "b.example",
                "well_known", WELL_KNOWN, "force_relay", "yes"))), "matrix.domains[0].force_relay");
    }

    private static void assertProblem(Map<String, Object> matrix, String key) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigShapes.bind(matrix));
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }

    @Test
    void loaderStaysUsable() {
        assertTrue(ConfigLoader.standard().credentialIssuers().types().contains("rest"));
    }
}
