package dev.tern.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check-config} and {@code serve} refuse the same config (issue #22 points 2, 9, 10), and what
 * {@code check-config} prints is YAML an administrator can paste back (point 11). Both commands run in
 * process, as {@code tern} runs them; {@code serve} here only ever meets configs it must refuse.
 */
class CheckConfigAgreesWithServeTest {

    private static final String SECRET = "a-long-enough-test-secret-0123456789";

    @TempDir
    Path dir;

    @Test
    void aRulesFileServeRefusesIsRefusedByCheckConfigWithEveryMistakeAtItsLine() throws Exception {
        Files.writeString(dir.resolve("rules.yaml"), """
                rules:
                  - name: slow
                    set: { max_bitrate: fast }
                  - name: typo
                    sett: { force_relay: true }
                """);
        Path config = write("tern.yaml", """
                server_name: example.org
                policy:
                  sources:
                    - { type: file, name: rules, path: rules.yaml }
                """);
        Cli check = Cli.run("check-config", config.toString());
        assertEquals(1, check.exitCode(), check.toString());
        assertTrue(check.err().contains("rules.yaml, line 3: rules[0].set.max_bitrate: found 'fast', expected a bitrate"),
                check.toString());
        assertTrue(check.err().contains("rules.yaml, line 5: rules[1].sett: unknown key (did you mean 'set'?)"),
                check.toString());
        assertFalse(check.err().contains("\tat "), check.toString());

        Cli serve = serve(config);
        assertEquals(1, serve.exitCode(), serve.toString());
        assertTrue(serve.err().contains("rules.yaml, line 3: rules[0].set.max_bitrate"), serve.toString());
    }

    @Test
    void aGroupsRuleWithoutASourceThatKnowsGroupsIsRefusedByCheckConfigAndServe() throws Exception {
        Files.writeString(dir.resolve("rules.yaml"), """
                rules:
                  - name: everyone
                    set: { max_allocations: 4 }
                  - name: staff
                    match: { groups: [staff] }
                    set: { force_relay: true }
                """);
        Path config = write("tern.yaml", """
                server_name: example.org
                policy:
                  sources:
                    - { type: file, name: rules, path: rules.yaml }
                """);
        for (Cli run : new Cli[] {Cli.run("check-config", config.toString()), serve(config)}) {
            assertEquals(1, run.exitCode(), run.toString());
            assertTrue(run.err().contains("tern.yaml, line 4: policy.sources[0]: "), run.toString());
            assertTrue(run.err().contains("rules.yaml: rules[1].match.groups (rule 'staff'): matches on groups, but no "
                    + "configured source knows groups"), run.toString());
        }
    }

    @Test
    void checkConfigPrintsYamlWithoutDuplicateKeysOrSecretsThatIsRefusedWhenPastedBackUnchanged() throws Exception {
        Path config = write("tern.yaml", """
                server_name: example.org
                credentials: { type: rest, secrets: ["%s"], uris: ["turn:turn.example.org?transport=udp"] }
                matrix:
                  listen: "http://127.0.0.1:8008"
                  access_tokens:
                    type: static
                    tokens: { "syt_alice_token_0123": "@alice:example.org", "syt_bob_token_4567": "@bob:example.org",
                              "syt_carol_token_89ab": "@carol:example.org" }
                  well_known: { m.homeserver: { base_url: "https://matrix.example.org" } }
                """.formatted(SECRET));
        Cli check = Cli.run("check-config", config.toString());
        assertEquals(0, check.exitCode(), check.toString());
        YAMLMapper strict = YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
        JsonNode printed = strict.readTree(check.out()); // throws on a duplicate key
        assertEquals(3, printed.at("/matrix/access_tokens/tokens").size(), check.out());
        List<String> users = new ArrayList<>();
        printed.at("/matrix/access_tokens/tokens").elements().forEachRemaining(user -> users.add(user.asText()));
        assertEquals(List.of("@alice:example.org", "@bob:example.org", "@carol:example.org"), users, check.out());
        for (String secret : new String[] {SECRET, "syt_alice_token_0123", "syt_bob_token_4567", "syt_carol"}) {
            assertFalse(check.out().contains(secret), secret + " printed: " + check);
        }

        Cli unchanged = Cli.run("check-config", write("pasted.yaml", check.out()).toString());
        assertEquals(1, unchanged.exitCode(), "masks pasted back are refused, never served: " + unchanged);
        assertTrue(unchanged.err().contains("credentials.secrets[0]: is shorter than 16 bytes"), unchanged.toString());
        // The admin puts the TURN secret back but not the tokens: the masked tokens are refused too.
        Path secretBack = write("secret-back.yaml", check.out().replace("'****'", "'" + SECRET + "'"));
        Cli again = Cli.run("check-config", secretBack.toString());
        assertEquals(1, again.exitCode(), again.toString());
        assertTrue(again.err().contains("matrix.access_tokens.tokens: entry 0 is the mask check-config prints in place "
                + "of a token"), again.toString());
    }

    private Cli serve(Path config) {
        return assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Cli.run("serve", "--config", config.toString()),
                "serve must refuse this config, not start");
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }
}
