package dev.tern.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.config.shapes.RelayShapes.NettyConfig;
import dev.tern.spi.InvalidSettingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigErrorsTest {

    @TempDir
    Path dir;

    private final ConfigLoader loader = ConfigLoader.builder().environment(Map.<String, String>of()::get).build();

    private ConfigException failure(String yaml) throws IOException {
        Path file = dir.resolve("tern.yaml");
        Files.writeString(file, yaml);
        return assertThrows(ConfigException.class, () -> loader.load(file));
    }

    /** The only problem, as printed; fails when there is not exactly one. */
    private String only(ConfigException e) {
        assertEquals(1, e.problems().size(), e.getMessage());
        return e.problems().get(0).toString();
    }

    private String at(int line) {
        return dir.resolve("tern.yaml") + ", line " + line + ": ";
    }

    @Test
    void unknownKeySuggestsTheNearestKnownKey() throws IOException {
        ConfigException e = failure("""
                server_name: example.org
                credentials:
                  type: rest
                  secret: ["0123456789abcdef0123"]
                """);
        String problem = only(e);
        assertTrue(problem.startsWith(at(4) + "credentials.secret: unknown key (did you mean 'secrets'?)"), problem);
        assertTrue(problem.contains("known keys here: secrets, lifetime, uris, allow_weak_secret, clock_skew"), problem);
        assertTrue(e.getMessage().startsWith("Invalid configuration: " + dir.resolve("tern.yaml")), e.getMessage());
    }

    @Test
    void unknownKeysAtTheTopAndInNestedRecordsAreAllReported() throws IOException {
        ConfigException e = failure("""
                server_name: example.org
                polcy: {}
                relay:
                  type: netty
                  tls: { cert: /etc/cert.pem }
                  realms: example.org
                """);
        assertEquals(3, e.problems().size(), e.getMessage());
        assertTrue(e.problems().get(0).toString().startsWith(at(2) + "polcy: unknown key (did you mean 'policy'?)"));
        assertTrue(e.problems().get(1).toString().startsWith(at(5) + "relay.tls.cert: unknown key (did you mean "
                + "'cert_file'?)"), e.problems().get(1).toString());
        assertTrue(e.problems().get(2).toString().startsWith(at(6) + "relay.realms: unknown key (did you mean "
                + "'realm'?)"), e.problems().get(2).toString());
        assertTrue(e.getMessage().startsWith("Invalid configuration (3 problems):\n  - "), e.getMessage());
    }

    @Test
    void unknownKeysInRecordsInsideListsAreFound() throws IOException {
        String problem = only(failure("""
                server_name: example.org
                credentials:
                  type: static
                  users:
                    - { username: a, password: b }
                    - { username: c, pasword: d }
                """));
        assertTrue(problem.startsWith(at(6) + "credentials.users[1].pasword: unknown key (did you mean 'password'?)"),
                problem);
    }

    @Test
    void wrongTypeSaysWhatWasFoundAndWhatWasExpected() throws IOException {
        assertEquals(at(3) + "policy.defaults.max_allocations: found 'many', expected a whole number", only(failure("""
                server_name: example.org
                policy:
                  defaults: { max_allocations: many }
                """)));
        assertEquals(at(4) + "credentials.uris: found 'turn:a.example.org', expected a list", only(failure("""
                server_name: example.org
                credentials:
                  type: rest
                  uris: turn:a.example.org
                  secrets: ["0123456789abcdef0123"]
                """)));
        assertEquals(at(3) + "policy.defaults.force_relay: found 1, expected true or false", only(failure("""
                server_name: example.org
                policy:
                  defaults: { force_relay: 1 }
                """)));
        assertEquals(at(4) + "relay.tls: found 'yes', expected a mapping with the keys cert_file, key_file",
                only(failure("""
                server_name: example.org
                relay:
                  type: netty
                  tls: "yes"
                """)));
    }

    @Test
    void missingRequiredKeysAreNamed() throws IOException {
        assertEquals(at(3) + "policy.sources[0].path: required: the policy file to read", only(failure("""
                server_name: example.org
                policy:
                  sources: [{ type: file }]
                """)));
        assertEquals(at(3) + "policy.sources[0].type: required key is missing (known types: file, ldap, well-known)",
                only(failure("""
                server_name: example.org
                policy:
                  sources: [{ path: x.yaml }]
                """)));
        assertEquals(dir.resolve("tern.yaml") + ": server_name: required key is missing; expected the Matrix server "
                + "name, like example.org", only(failure("policy: {}\n")));
    }

    @Test
    void badDurationAndBitrateShowTheAcceptedForms() throws IOException {
        assertEquals(at(4) + "credentials.lifetime: found '5 minutes', expected a duration like 500ms, 90s, 10m, "
                + "1h, 1d, or ISO-8601 like PT1H (a bare number means seconds)", only(failure("""
                server_name: example.org
                credentials:
                  type: rest
                  lifetime: 5 minutes
                  secrets: ["0123456789abcdef0123"]
                """)));
        assertEquals(at(3) + "policy.defaults.max_bitrate: found 'fast', expected a bitrate like 512k, 2M or 1G "
                + "(bits per second)", only(failure("""
                server_name: example.org
                policy:
                  defaults: { max_bitrate: fast }
                """)));
        assertEquals(at(3) + "policy.sources[0].timeout: found '-2s', expected a duration like 500ms, 90s, 10m, 1h, "
                + "1d, or ISO-8601 like PT1H (a bare number means seconds)", only(failure("""
                server_name: example.org
                policy:
                  sources: [{ type: file, path: p.yaml, timeout: -2s }]
                """)));
    }

    @Test
    void badEnumListsTheAcceptedValues() throws IOException {
        assertEquals(at(3) + "policy.sources[0].on_error: found 'explode', expected one of fail_closed, last_known, "
                + "ignore", only(failure("""
                server_name: example.org
                policy:
                  sources: [{ type: file, path: p.yaml, on_error: explode }]
                """)));
        assertEquals(at(3) + "policy.defaults.transports[1]: found 'sctp', expected one of udp, tcp, tls",
                only(failure("""
                server_name: example.org
                policy:
                  defaults: { transports: [udp, sctp] }
                """)));
    }

    @Test
    void unknownProviderTypeListsTheKnownTypesWithASuggestion() throws IOException {
        assertEquals(at(3) + "credentials.type: unknown type 'rset' (did you mean 'rest'?); known types: rest, static",
                only(failure("""
                server_name: example.org
                credentials:
                  type: rset
                """)));
        assertEquals(at(3) + "policy.sources[0].type: unknown type 'postgres'; known types: file, ldap, well-known",
                only(failure("""
                server_name: example.org
                policy:
                  sources: [{ type: postgres }]
                """)));
    }

    @Test
    void unsetEnvironmentVariableNamesKeyAndVariable() throws IOException {
        assertEquals(at(4) + "credentials.secrets[0]: environment variable TURN_SECRET is not set", only(failure("""
                server_name: example.org
                credentials:
                  type: rest
                  secrets: ["${TURN_SECRET}"]
                """)));
    }

    @Test
    void missingSecretFileNamesTheResolvedPath() throws IOException {
        assertEquals(at(3) + "policy.sources[0].bind_password_file: secret file " + dir.resolve("missing.pw")
                + " does not exist", only(failure("""
                server_name: example.org
                policy:
                  sources: [{ type: ldap, url: "ldap://x", bind_password_file: missing.pw }]
                """)));
    }

    @Test
    void invalidSettingFromARecordConstructorIsPlacedUnderItsSection() throws IOException {
        assertEquals(at(4) + "relay.ports: expected a range like 49152-65535", only(failure("""
                server_name: example.org
                relay:
                  type: netty
                  ports: 65535-1
                """)));
        assertEquals(at(4) + "credentials.secrets[0]: is shorter than 16 bytes; use a longer secret or set "
                + "allow_weak_secret: true", only(failure("""
                server_name: example.org
                credentials:
                  type: rest
                  secrets: ["tiny-pw"]
                """)));
        assertEquals(at(3) + "policy.defaults: max_allocations must not be negative", only(failure("""
                server_name: example.org
                policy:
                  defaults: { max_allocations: -1 }
                """)));
        assertEquals(at(3) + "policy.sources[0].timeout: must be positive, like 2s", only(failure("""
                server_name: example.org
                policy:
                  sources: [{ type: file, path: p.yaml, timeout: 0s }]
                """)));
    }

    @Test
    void invalidSettingFromProviderCreateIsPlacedUnderItsSection() throws IOException {
        Path file = dir.resolve("tern.yaml");
        Files.writeString(file, "server_name: example.org\nrelay:\n  type: netty\n  listen: [\"udp://x:1\"]\n");
        BoundProvider<?> relay = loader.load(file).relay().orElseThrow();
        ConfigException e = relay.invalidSetting(new InvalidSettingException("listen[0]", "cannot bind udp://x:1"));
        assertEquals(at(4) + "relay.listen[0]: cannot bind udp://x:1", only(e));
        assertEquals(at(2) + "relay: needs a verifier", only(relay.problem("needs a verifier")));
        assertEquals(List.of("udp://x:1"), ((NettyConfig) relay.config()).listen());
    }

    @Test
    void syntaxErrorsDuplicateKeysAndDuplicateSourceNamesAreReported() throws IOException {
        String syntax = only(failure("server_name: example.org\ncredentials: [unclosed\n"));
        assertTrue(syntax.startsWith(dir.resolve("tern.yaml") + ", line "), syntax);
        assertTrue(syntax.contains("not valid YAML"), syntax);
        assertEquals(at(2) + "server_name: duplicate key (first set on line 1); keep one",
                only(failure("server_name: example.org\nserver_name: example.com\n")));
        assertEquals(at(5) + "policy.sources[1].name: the name 'a' is already used by policy.sources[0]; source "
                + "names must be unique (they show in policy explanations)", only(failure("""
                server_name: example.org
                policy:
                  sources:
                    - { type: file, path: a.yaml, name: a }
                    - { type: file, path: b.yaml, name: a }
                """)));
    }

    @Test
    void severalProblemsAreReportedTogether() throws IOException {
        ConfigException e = failure("""
                server_name: example.org
                credentials: { type: rest, secrets: ["${NOPE}"], lifetim: 1h }
                policy:
                  sources: [{ type: lap }]  # ldap
                relay: { type: netty, ports: abc }
                """);
        List<String> paths = e.problems().stream().map(ConfigProblem::path).toList();
        assertEquals(List.of("credentials.secrets[0]", "policy.sources[0].type", "relay.ports"),
                paths, e.getMessage());
    }

    @Test
    void aMissingFileIsOneProblem() {
        Path file = dir.resolve("nope.yaml");
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file));
        assertEquals(file + ": no such file", only(e));
    }
}
