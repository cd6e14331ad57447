package dev.tern.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandsTest {

    private static final String SECRET = "a-long-enough-test-secret-0123456789";

    @TempDir
    Path dir;

    @Test
    void checkConfigPrintsTheEffectiveConfigWithSecretsMasked() throws Exception {
        Path file = write("tern.yaml", """
                server_name: example.org
                credentials: { type: rest, secrets: ["%s"], uris: ["turn:turn.example.org?transport=udp"] }
                matrix:
                  listen: "http://127.0.0.1:8008"
                  access_tokens: { type: static, tokens: { "secret-token-value": "@alice:example.org" } }
                  well_known: { m.homeserver: { base_url: "https://matrix.example.org" } }
                """.formatted(SECRET));
        Cli run = Cli.run("check-config", file.toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("valid"), run.toString());
        assertTrue(run.out().contains("lifetime: 1h"), "defaults are applied: " + run);
        assertFalse(run.out().contains(SECRET), run.toString());
        assertFalse(run.out().contains("secret-token-value"), "access tokens are masked too: " + run);
    }

    @Test
    void checkConfigMasksAnAccessTokenWhereItIsNotWhereItsTextAppears() throws Exception {
        Path file = write("tern.yaml", """
                server_name: example.org
                credentials: { type: rest, secrets: ["%s"], uris: ["turn:turn.example.org?transport=udp"] }
                matrix:
                  listen: "http://127.0.0.1:8008"
                  access_tokens: { type: static, tokens: { "example": "@alice:example.org", "other": "@bob:example.org" } }
                  well_known: { m.homeserver: { base_url: "https://matrix.example.org" } }
                """.formatted(SECRET));
        Cli run = Cli.run("check-config", file.toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("server_name: example.org"), "the token 'example' leaves other text alone: " + run);
        assertTrue(run.out().contains("\"@alice:example.org\"") || run.out().contains("@alice:example.org"), run.toString());
        assertFalse(run.out().contains("****.org"), run.toString());
        assertFalse(Pattern.compile("(?m)^\\s*\"?(example|other)\"?:").matcher(run.out()).find(),
                "no token shows as a key: " + run);
    }

    @Test
    void checkConfigBindsAnIpv6RelayAddressAndNamesOneOfTheWrongFamily() throws Exception {
        String yaml = """
                server_name: example.org
                credentials: { type: rest, secrets: ["%s"] }
                relay:
                  type: netty
                  realm: example.org
                  listen: ["udp://0.0.0.0:3478"]
                  relay_address: 10.0.0.5
                  relay_address_ipv6: %s
                  external_address_ipv6: 2001:db8::5
                """;
        Cli ok = Cli.run("check-config", write("dual.yaml", yaml.formatted(SECRET, "fd00::5")).toString());
        assertEquals(0, ok.exitCode(), ok.toString());
        assertTrue(ok.out().contains("relay_address_ipv6: fd00::5"), ok.toString());
        Cli bad = Cli.run("check-config", write("bad.yaml", yaml.formatted(SECRET, "10.0.0.6")).toString());
        assertEquals(1, bad.exitCode(), bad.toString());
        assertTrue(bad.err().contains("relay.relay_address_ipv6") && bad.err().contains("not an IPv6 address"),
                bad.toString());
    }

    @Test
    void checkConfigBindsTheDataPlaneAndNamesAWrongOne() throws Exception {
        String yaml = """
                server_name: example.org
                credentials: { type: rest, secrets: ["%s"] }
                relay:
                  type: netty
                  realm: example.org
                  listen: ["udp://127.0.0.1:3478"]
                  data_plane: %s
                """;
        Cli ok = Cli.run("check-config", write("plane.yaml", yaml.formatted(SECRET, "user")).toString());
        assertEquals(0, ok.exitCode(), ok.toString());
        assertTrue(ok.out().contains("data_plane: user"), ok.toString());
        Cli bad = Cli.run("check-config", write("bad-plane.yaml", yaml.formatted(SECRET, "xdp")).toString());
        assertEquals(1, bad.exitCode(), bad.toString());
        assertTrue(bad.err().contains("relay.data_plane") && bad.err().contains("'xdp' is not one of auto, kernel, user"),
                bad.toString());
    }

    @Test
    void checkConfigShowsTheAuthLimitsAndNamesBadOnesByTheirPath() throws Exception {
        String yaml = """
                server_name: example.org
                credentials: { type: rest, secrets: ["%s"]%s }
                relay:
                  type: netty
                  realm: example.org
                  listen: ["udp://127.0.0.1:3478"]
                  failed_auth_limit: { per_username: %s }
                """;
        Cli ok = Cli.run("check-config", write("limits.yaml", yaml.formatted(SECRET, "", "5")).toString());
        assertEquals(0, ok.exitCode(), ok.toString());
        assertTrue(ok.out().contains("per_username: 5") && ok.out().contains("per_address: 20")
                && ok.out().contains("max_validity: 7d"), ok.toString());
        Cli badLimit = Cli.run("check-config", write("bad-limit.yaml", yaml.formatted(SECRET, "", "0")).toString());
        assertEquals(1, badLimit.exitCode(), badLimit.toString());
        assertTrue(badLimit.err().contains("relay.failed_auth_limit.per_username")
                && badLimit.err().contains("must be at least 1"), badLimit.toString());
        Cli badValidity = Cli.run("check-config", write("bad-validity.yaml", yaml.formatted(SECRET,
                ", lifetime: 2d, max_validity: 1d", "5")).toString());
        assertEquals(1, badValidity.exitCode(), badValidity.toString());
        assertTrue(badValidity.err().contains("credentials.max_validity"), badValidity.toString());
    }

    @Test
    void checkConfigRefusesATypoWithItsLineAndExitStatusOne() throws Exception {
        Path file = write("tern.yaml", """
                server_name: example.org
                credentials:
                  type: rest
                  secret: ["%s"]
                """.formatted(SECRET));
        Cli run = Cli.run("check-config", file.toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("line 4") && run.err().contains("credentials.secret")
                && run.err().contains("secrets"), run.toString());
        assertFalse(run.err().contains(SECRET), run.toString());
        assertFalse(run.err().contains("\tat "), "no stack trace: " + run);
    }

    @Test
    void checkConfigRefusesABadMatrixSectionToo() throws Exception {
        Path file = write("tern.yaml", """
                server_name: example.org
                matrix:
                  listen: "ftp://x"
                  access_tokens: { type: static, tokens: { "t": "@a:b" } }
                  well_known: { m.homeserver: { base_url: "https://matrix.example.org" } }
                """);
        Cli run = Cli.run("check-config", file.toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("matrix.listen"), run.toString());
        Path noTokens = write("no-tokens.yaml", """
                server_name: example.org
                matrix: { well_known: { m.homeserver: { base_url: "https://matrix.example.org" } } }
                """);
        Cli missing = Cli.run("check-config", noTokens.toString());
        assertEquals(1, missing.exitCode(), missing.toString());
        assertTrue(missing.err().contains("matrix.access_tokens"), missing.toString());
        Path badType = write("bad-type.yaml", """
                server_name: example.org
                matrix:
                  access_tokens: { type: ldap }
                  well_known: { m.homeserver: { base_url: "https://matrix.example.org" } }
                """);
        Cli unknown = Cli.run("check-config", badType.toString());
        assertEquals(1, unknown.exitCode(), unknown.toString());
        assertTrue(unknown.err().contains("matrix.access_tokens.type") && unknown.err().contains("whoami"),
                unknown.toString());
    }

    @Test
    void checkConfigNamesAnUnknownGroupFilterPlaceholderByItsPath() throws Exception {
        String yaml = """
                server_name: example.org
                credentials: { type: rest, secrets: ["%s"] }
                policy:
                  sources:
                    - type: ldap
                      url: "ldap://127.0.0.1:1"
                      base_dn: "ou=people,dc=example,dc=org"
                      group_search: { base_dn: "ou=groups,dc=example,dc=org", filter: "%s" }
                """;
        Cli bad = Cli.run("check-config", write("bad-group.yaml", yaml.formatted(SECRET, "(member={user})")).toString());
        assertEquals(1, bad.exitCode(), bad.toString());
        assertTrue(bad.err().contains("policy.sources[0].group_search.filter: unknown placeholder {user} (expected "
                + "{dn}, {uid}, {localpart}, {user_id} or {server})"), bad.toString());
        Cli posix = Cli.run("check-config", write("posix.yaml", yaml.formatted(SECRET, "(memberUid={uid})")).toString());
        assertEquals(0, posix.exitCode(), "posixGroup needs no {dn}: " + posix);
    }

    @Test
    void checkConfigWithoutAFileIsAUsageError() {
        assertEquals(2, Cli.run("check-config").exitCode());
        assertEquals(2, Cli.run("no-such-command").exitCode());
    }

    @Test
    void credentialsIssueWithTheEmbeddedDefaultSignsWithTheGeneratedSecret() throws Exception {
        Path data = dir.resolve("data");
        Cli run = Cli.run("credentials", "issue", "@alice:localhost", "--data-dir", data.toString());
        assertEquals(0, run.exitCode(), run.toString());
        String username = field(run.out(), "username");
        String password = field(run.out(), "password");
        assertTrue(username.matches("\\d+:@alice:localhost"), run.toString());
        String secret = Files.readString(data.resolve(DefaultConfig.SECRET_FILE)).strip();
        assertEquals(hmacSha1(secret, username), password);
        assertEquals("3600", field(run.out(), "ttl"));
        assertEquals("turn:127.0.0.1:3478?transport=udp", field(run.out(), "uris").split(" ")[0]);
    }

    @Test
    void credentialsIssueRefusesAGuestWhenPolicyForbidsGuests() throws Exception {
        Path file = write("tern.yaml", """
                server_name: example.org
                credentials: { type: rest, secrets: ["%s"] }
                policy: { defaults: { guests_allowed: false } }
                """.formatted(SECRET));
        Cli run = Cli.run("credentials", "issue", "@guest:example.org", "--guest", "--config", file.toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("GUESTS_NOT_ALLOWED"), run.toString());
        assertFalse(run.out().contains("password"), run.toString());
    }

    @Test
    void credentialsIssueRefusesSomethingThatIsNotAUserId() {
        Cli run = Cli.run("credentials", "issue", "alice", "--data-dir", dir.resolve("d").toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("not a Matrix user id"), run.toString());
    }

    @Test
    void policyExplainNamesTheSourceAndRuleOfEachField() throws Exception {
        write("policy.yaml", """
                rules:
                  - name: office-network
                    match: { networks: ["10.0.0.0/8"] }
                    set: { force_relay: false }
                  - name: everyone-else
                    set: { force_relay: true, max_bitrate: 2M }
                """);
        Path file = write("tern.yaml", """
                server_name: example.org
                credentials: { type: rest, secrets: ["%s"] }
                policy:
                  defaults: { max_allocations: 12 }
                  sources: [ { type: file, name: rules, path: policy.yaml } ]
                """.formatted(SECRET));
        Cli outside = Cli.run("policy", "explain", "@alice:example.org", "--ip", "203.0.113.9", "--config",
                file.toString());
        assertEquals(0, outside.exitCode(), outside.toString());
        assertTrue(Pattern.compile("force_relay\\s+true\\s+rules / everyone-else").matcher(outside.out()).find(),
                outside.toString());
        assertTrue(Pattern.compile("max_allocations\\s+12\\s+defaults / policy.defaults").matcher(outside.out()).find(),
                outside.toString());
        assertTrue(outside.out().contains("Server-wide policy"), outside.toString());
        Cli inside = Cli.run("policy", "explain", "@alice:example.org", "--ip", "10.1.2.3", "--config",
                file.toString());
        assertTrue(Pattern.compile("force_relay\\s+false\\s+rules / office-network").matcher(inside.out()).find(),
                inside.toString());
    }

    @Test
    void aConfigMistakeFoundWhenBuildingIsReportedWithoutAStackTrace() throws Exception {
        Path file = write("tern.yaml", """
                server_name: example.org
                credentials: { type: rest, secret_files: [missing.secret] }
                """);
        Cli run = Cli.run("credentials", "issue", "@alice:example.org", "--config", file.toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("credentials"), run.toString());
        assertFalse(run.err().contains("\tat "), run.toString());
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    private static String field(String output, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + ": (.*)$").matcher(output);
        assertTrue(m.find(), "no " + name + " in " + output);
        return m.group(1).strip();
    }

    static String hmacSha1(String secret, String username) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
    }
}
