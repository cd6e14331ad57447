package dev.tern.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.Bitrate;
import dev.tern.spi.Secret;
import dev.tern.spi.Transport;
import dev.tern.spi.TurnPolicy;
import dev.tern.config.shapes.CredentialShapes.RestConfig;
import dev.tern.config.shapes.CredentialShapes.StaticConfig;
import dev.tern.config.shapes.MatrixShapes.MatrixConfig;
import dev.tern.config.shapes.MatrixShapes.TokenCheckProvider;
import dev.tern.config.shapes.MatrixShapes.WhoamiConfig;
import dev.tern.config.shapes.PolicyShapes.FileConfig;
import dev.tern.config.shapes.PolicyShapes.LdapConfig;
import dev.tern.config.shapes.PolicyShapes.WellKnownConfig;
import dev.tern.config.shapes.RelayShapes.NettyConfig;
import dev.tern.spi.PolicySourceSettings.OnError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private final ConfigLoader loader = ConfigLoader.builder()
            .environment(Map.of("TURN_SECRET", ExampleConfig.TURN_SECRET)::get).build();

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Test
    void bindsTheIssueExampleWithEveryBuiltInShape() throws IOException {
        write("ldap.pw", ExampleConfig.BIND_PASSWORD + "\n");
        TernConfig config = loader.load(write("tern.yaml", ExampleConfig.YAML));

        assertEquals("example.org", config.serverName());
        assertEquals(dir.resolve("tern-data").toAbsolutePath(), config.dataDirectory());
        assertEquals(dir.toAbsolutePath(), config.configDirectory());

        var credentials = config.credentials().orElseThrow();
        assertEquals("rest", credentials.type());
        assertEquals("credentials", credentials.path());
        RestConfig rest = assertInstanceOf(RestConfig.class, credentials.config());
        assertEquals(List.of(Secret.of(ExampleConfig.TURN_SECRET)), rest.secrets());
        assertEquals(Duration.ofHours(1), rest.lifetime());
        assertEquals(Duration.ofSeconds(30), rest.clockSkew(), "the record's default applies to an absent key");
        assertEquals(2, rest.uris().size());

        TurnPolicy defaults = config.policy().defaults();
        assertEquals(TurnPolicy.builder().forceRelay(false).turnAllowed(true).guestsAllowed(true).maxAllocations(12)
                .build(), defaults);

        List<BoundPolicySource> sources = config.policy().sources();
        assertEquals(2, sources.size());
        assertEquals("file#0", sources.get(0).settings().name());
        assertEquals(OnError.FAIL_CLOSED, sources.get(0).settings().onError());
        assertEquals(Duration.ofSeconds(2), sources.get(0).settings().timeout());
        FileConfig file = assertInstanceOf(FileConfig.class, sources.get(0).binding().config());
        assertEquals(dir.resolve("policy.yaml").toAbsolutePath(), file.path(), "relative to the config file");
        assertEquals("ldap#1", sources.get(1).settings().name());
        assertEquals("policy.sources[1]", sources.get(1).binding().path());
        LdapConfig ldap = assertInstanceOf(LdapConfig.class, sources.get(1).binding().config());
        assertEquals(Secret.of(ExampleConfig.BIND_PASSWORD), ldap.bindPassword(), "read from the file, newline trimmed");
        assertEquals("cn=tern,dc=example,dc=org", ldap.bindDn());

        NettyConfig relay = assertInstanceOf(NettyConfig.class, config.relay().orElseThrow().config());
        assertEquals("example.org", relay.realm());
        assertEquals(3, relay.listen().size());
        assertEquals("10.0.0.5", relay.relayAddress());
        assertEquals("203.0.113.7", relay.externalAddress());
        assertEquals("49152-65535", relay.ports());
        assertEquals(List.of(), relay.allowedPeers());
        assertEquals(Path.of("/etc/tern/fullchain.pem"), relay.tls().certFile());

        ConfigSection matrix = config.matrix().orElseThrow();
        assertEquals("matrix", matrix.path());
        MatrixConfig bound = matrix.bind(MatrixConfig.class);
        assertEquals("http://127.0.0.1:8008", bound.listen());
        assertEquals(Map.of("m.homeserver", Map.of("base_url", "https://matrix.example.org")), bound.wellKnown());
        assertEquals("matrix.access_tokens", bound.accessTokens().path());
        var tokens = bound.accessTokens().bindProvider(ProviderCatalog.<TokenCheckProvider<?>>discover(
                TokenCheckProvider.class));
        assertEquals("whoami", tokens.type());
        assertEquals("http://127.0.0.1:8009", ((WhoamiConfig) tokens.config()).homeserver());
        assertEquals(Set.of("enabled"), config.metrics().orElseThrow().keys());
    }

    @Test
    void bindsTheSameConfigWrittenAsJson() throws IOException {
        TernConfig config = loader.load(write("tern.json", """
                {"server_name": "example.org",
                 "credentials": {"type": "rest", "secrets": ["${TURN_SECRET}"], "lifetime": "10m"},
                 "policy": {"sources": [{"type": "well-known", "url": "https://example.org/.well-known/matrix/client",
                                         "refresh": 90, "name": "wk", "on_error": "last-known", "timeout": "500ms"}]}}
                """));
        assertEquals(Duration.ofMinutes(10), ((RestConfig) config.credentials().orElseThrow().config()).lifetime());
        BoundPolicySource source = config.policy().sources().get(0);
        assertEquals("wk", source.settings().name());
        assertEquals(OnError.LAST_KNOWN, source.settings().onError());
        assertEquals(Duration.ofMillis(500), source.settings().timeout());
        assertEquals(Duration.ofSeconds(90), ((WellKnownConfig) source.binding().config()).refresh(),
                "a bare number is seconds");
        assertTrue(config.relay().isEmpty());
        assertTrue(config.matrix().isEmpty());
        assertEquals(TurnPolicy.EMPTY, config.policy().defaults());
    }

    @Test
    void bindsEveryPolicyFieldAndValueSpelling() throws IOException {
        TernConfig config = loader.load(write("tern.yaml", """
                server_name: example.org
                data_directory: /var/lib/tern
                policy:
                  defaults:
                    force_relay: true
                    turn_allowed: true
                    guests_allowed: false
                    max_allocations: 3
                    max_bitrate: 2M
                    transports: [UDP, tls]
                    max_credential_lifetime: 1d
                  sources:
                    - { type: file, path: /etc/tern/policy.yaml, on_error: IGNORE, timeout: PT3S }
                    - { type: file, path: other.yaml, on_error: fail_closed, name: second, reload: 1h30m }
                relay:
                  type: netty
                  realm: example.org
                  max_bitrate: 512k
                """));
        TurnPolicy defaults = config.policy().defaults();
        assertEquals(Bitrate.parse("2M"), defaults.maxBitrate().orElseThrow());
        assertEquals(Set.of(Transport.UDP, Transport.TLS), defaults.transports().orElseThrow());
        assertEquals(Duration.ofDays(1), defaults.maxCredentialLifetime().orElseThrow());
        assertEquals(3, defaults.maxAllocations().getAsInt());
        assertFalse(defaults.guestsAllowed().orElseThrow());
        assertEquals(Path.of("/var/lib/tern"), config.dataDirectory());
        assertEquals(OnError.IGNORE, config.policy().sources().get(0).settings().onError());
        assertEquals(Duration.ofSeconds(3), config.policy().sources().get(0).settings().timeout());
        assertEquals("second", config.policy().sources().get(1).settings().name());
        assertEquals(Duration.ofMinutes(90),
                ((FileConfig) config.policy().sources().get(1).binding().config()).reload());
        assertEquals(new Bitrate(512_000), ((NettyConfig) config.relay().orElseThrow().config()).maxBitrate());
        assertEquals(List.of("udp://127.0.0.1:3478"), ((NettyConfig) config.relay().orElseThrow().config()).listen());
    }

    @Test
    void bindsTheStaticIssuerWithNestedRecords() throws IOException {
        TernConfig config = loader.load(write("tern.yaml", """
                server_name: example.org
                credentials:
                  type: static
                  users: [{ username: turnuser, password: "${TURN_SECRET}" }]
                  uris: ["turn:127.0.0.1:3478"]
                """));
        StaticConfig config1 = (StaticConfig) config.credentials().orElseThrow().config();
        assertEquals("turnuser", config1.users().get(0).username());
        assertEquals(Secret.of(ExampleConfig.TURN_SECRET), config1.users().get(0).password());
    }

    @Test
    void parsesInMemoryTextAgainstTheGivenDirectory() {
        TernConfig config = loader.parse("server_name: localhost\n", "embedded default config", dir);
        assertEquals("embedded default config", config.origin());
        assertEquals(dir.resolve("tern-data").toAbsolutePath(), config.dataDirectory());
        assertTrue(config.credentials().isEmpty());
        assertEquals(PolicyConfig.NONE, config.policy());
    }
}
