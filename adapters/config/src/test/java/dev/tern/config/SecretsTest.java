package dev.tern.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.Secret;
import dev.tern.config.shapes.CredentialShapes.RestConfig;
import dev.tern.config.shapes.MatrixShapes.WhoamiConfig;
import dev.tern.config.shapes.PolicyShapes.LdapConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {

    private static final String ENV_SECRET = "env-secret-value-0123456789";

    @TempDir
    Path dir;

    private final ConfigLoader loader = ConfigLoader.builder()
            .environment(Map.of("TURN_SECRET", ENV_SECRET, "NOT_A_NUMBER", "leaky-env-value", "URI", "stun:oops")::get)
            .build();

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    private static RestConfig rest(TernConfig config) {
        return (RestConfig) config.credentials().orElseThrow().config();
    }

    @Test
    void expandsARealEnvironmentVariable() throws IOException {
        // Set by surefire's <environmentVariables> for this module's tests.
        String real = System.getenv("TERN_CONFIG_TEST_SECRET");
        assertEquals("from-the-real-environment-0123", real, "surefire must set TERN_CONFIG_TEST_SECRET; run through "
                + "mvn, not an IDE without it");
        TernConfig config = ConfigLoader.standard().load(write("tern.yaml", """
                server_name: example.org
                credentials: { type: rest, secrets: ["${TERN_CONFIG_TEST_SECRET}"] }
                """));
        assertEquals(List.of(Secret.of(real)), rest(config).secrets());
    }

    @Test
    void expandsInsideLongerStringsAndKeepsEscapedDollars() throws IOException {
        TernConfig config = loader.load(write("tern.yaml", """
                server_name: example.org
                credentials: { type: rest, secrets: ["pre-${TURN_SECRET}-post"], uris: ["turn:h:3478?x=$${literal}"] }
                """));
        assertEquals(Secret.of("pre-" + ENV_SECRET + "-post"), rest(config).secrets().get(0));
        assertEquals("turn:h:3478?x=${literal}", rest(config).uris().get(0));
    }

    @Test
    void readsSecretFilesRelativeToTheConfigFileTrimmingOneNewline() throws IOException {
        write("secrets/a", "first-secret-0123456789\n");
        write("secrets/b", "second-secret-0123456789\r\n");
        write("secrets/c", "third-secret-0123456789\n\n");
        write("ldap.pw", "bind-password");
        Path config = write("conf/tern.yaml", """
                server_name: example.org
                credentials: { type: rest, secret_files: [../secrets/a, ../secrets/b, ../secrets/c] }
                policy:
                  sources: [{ type: ldap, url: "ldap://x", bind_password_file: ../ldap.pw }]
                """);
        TernConfig loaded = loader.load(config);
        assertEquals(List.of(Secret.of("first-secret-0123456789"), Secret.of("second-secret-0123456789"),
                Secret.of("third-secret-0123456789\n")), rest(loaded).secrets());
        assertEquals(Secret.of("bind-password"),
                ((LdapConfig) loaded.policy().sources().get(0).binding().config()).bindPassword());
        // The generic x_files spelling for a List<Secret> named x.
        TernConfig generic = loader.load(write("conf/generic.yaml", """
                server_name: example.org
                credentials: { type: rest, secrets_files: [../secrets/a] }
                """));
        assertEquals(List.of(Secret.of("first-secret-0123456789")), rest(generic).secrets());
    }

    @Test
    void readsSecretFilesInSectionsOtherModulesBind() throws IOException {
        write("token", "shared-token-value\n");
        TernConfig config = loader.load(write("tern.yaml", """
                server_name: example.org
                matrix: { access_tokens: { homeserver: "http://h", shared_token_file: token } }
                """));
        WhoamiConfig bound = config.matrix().orElseThrow().section("access_tokens").orElseThrow()
                .bind(WhoamiConfig.class);
        assertEquals(Secret.of("shared-token-value"), bound.sharedToken());
    }

    @Test
    void refusesASecretFilePathThatIsNoPathNamingTheKey() throws IOException {
        // Found by ConfigLoaderFuzzTest: a NUL character made Path.resolve throw InvalidPathException out of load.
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(write("tern.yaml", """
                server_name: example.org
                policy:
                  sources: [{ type: ldap, url: "ldap://x", bind_password_file: "ldap\\0.pw" }]
                """)));
        assertEquals("policy.sources[0].bind_password_file", e.problems().get(0).path());
        assertTrue(e.problems().get(0).message().endsWith("expected a file path"), e.getMessage());
    }

    @Test
    void refusesAValueAndItsFileTogether() throws IOException {
        write("ldap.pw", "x");
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(write("tern.yaml", """
                server_name: example.org
                policy:
                  sources: [{ type: ldap, url: "ldap://x", bind_password: y, bind_password_file: ldap.pw }]
                """)));
        assertEquals("policy.sources[0].bind_password_file", e.problems().get(0).path());
        assertEquals("set either 'bind_password' or 'bind_password_file', not both", e.problems().get(0).message());
    }

    @Test
    void neverPutsASecretInAnErrorMessage() throws IOException {
        write("weak", "weak-file-secret\n");
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(write("tern.yaml", """
                server_name: example.org
                credentials: { type: rest, secrets: ["${TURN_SECRET}", "inline-weak"] }
                policy:
                  defaults: { max_allocations: "${NOT_A_NUMBER}" }
                  sources:
                    - { type: ldap, url: "${URI}", bind_password: [not, a, string] }
                    - { type: file, path: "weak-file-secret" }
                    - { type: ldap, url: "${URI}" }
                """)));
        String message = e.getMessage();
        assertFalse(message.contains(ENV_SECRET), message);
        assertFalse(message.contains("leaky-env-value"), message);
        assertFalse(message.contains("stun:oops"), message);
        assertTrue(message.contains("policy.defaults.max_allocations: found '****', expected a whole number"), message);
        assertTrue(message.contains("policy.sources[0].bind_password: found a value, expected a secret string"),
                message);
        assertTrue(message.contains("credentials.secrets[1]: is shorter than 16 bytes"), message);
    }

    @Test
    void masksASecretBecauseOfWhereItIsNotWhereItsTextAppears() throws IOException {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(write("tern.yaml", """
                server_name: example.org
                credentials: { type: rest, secrets: ["short"] }
                """)));
        assertTrue(e.getMessage().contains("credentials.secrets[0]: is shorter than 16 bytes"), e.getMessage());
        assertFalse(e.getMessage().contains("****er"), e.getMessage());
    }

    @Test
    void masksAnEnvironmentValueWhereAMessageAboutItsKeyQuotesIt() {
        Map<String, String> sensitive = Map.of("policy.sources[0].url", "stun:oops");
        assertEquals("'****' is not an ldap:// URL; \"stun:oops-like\" is fine",
                BindContext.scrub("'stun:oops' is not an ldap:// URL; \"stun:oops-like\" is fine",
                        "policy.sources[0].url", sensitive));
        assertEquals("'stun:oops' is elsewhere", BindContext.scrub("'stun:oops' is elsewhere",
                "policy.sources[1].url", sensitive), "a message about another key is left as it is");
    }

    @Test
    void masksASecretWrittenInTheWrongShapeAndValuesOfSecretLookingKeys() throws IOException {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(write("tern.yaml", """
                server_name: example.org
                credentials: { type: rest, secrets: plain-secret-in-wrong-shape }
                matrix: { access_tokens: { homeserver: "http://h", cache_ttl: 1h, shared_token: [a] } }
                """)));
        assertEquals("credentials.secrets: found '****', expected a list", e.problems().get(0).path() + ": "
                + e.problems().get(0).message());
        assertFalse(e.getMessage().contains("plain-secret-in-wrong-shape"), e.getMessage());
        assertTrue(Found.looksSecret("policy.sources[0].bind_password"));
        assertTrue(Found.looksSecret("credentials.secrets[1]"));
        assertTrue(Found.looksSecret("matrix.admin_token"));
        assertFalse(Found.looksSecret("relay.listen[0]"));
    }

    @Test
    void secretsAreMaskedInTheEffectiveConfig() throws IOException {
        write("ldap.pw", "file-password-value");
        TernConfig config = loader.load(write("tern.yaml", """
                server_name: example.org
                credentials: { type: rest, secrets: ["${TURN_SECRET}", "inline-secret-0123456789"] }
                policy:
                  sources: [{ type: ldap, url: "ldap://x", bind_password_file: ldap.pw }]
                matrix: { listen: "${TURN_SECRET}", admin_token: plain-token-value }
                """));
        String printed = config.effectiveConfig();
        for (String secret : List.of(ENV_SECRET, "inline-secret-0123456789", "file-password-value",
                "plain-token-value")) {
            assertFalse(printed.contains(secret), printed);
        }
        assertTrue(printed.contains("bind_password: '****'") || printed.contains("bind_password: \"****\""), printed);
    }
}
