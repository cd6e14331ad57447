package dev.tern.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code check-config} prints can be pasted back (#22 point 11): valid YAML with no duplicate key, in both
 * cases; a config whose secrets come from {@code ${ENV}} and files prints them as written and loads again as it
 * is; one with secrets written in the file prints them as {@code ****}, which is refused, naming each key path,
 * only because it is the mask. The environment ({@code TURN_SECRET}, {@code TERN_ADMIN_TOKEN}) is set for the
 * tests in this module's pom.
 */
class PrintedConfigTest {

    private static final YAMLMapper STRICT_YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    @TempDir
    Path dir;

    @Test
    void aConfigWithSecretsFromTheEnvironmentAndFilesPrintsAsItLoadsAndLoadsAgain() throws Exception {
        Files.writeString(dir.resolve("turn.secret"), "a-turn-secret-from-a-file-0123456789\n");
        Path file = Files.writeString(dir.resolve("tern.yaml"), """
                server_name: example.org
                credentials:
                  type: rest
                  secrets: ["${TURN_SECRET}"]
                  secret_files: [turn.secret]
                  uris: ["turn:turn.example.org?transport=udp"]
                matrix:
                  listen: "http://127.0.0.1:8008"
                  well_known: { m.homeserver: { base_url: "https://matrix.example.org" } }
                  access_tokens:
                    type: static
                    users:
                      - { user: "@alice:example.org", token: "${TERN_ADMIN_TOKEN}" }
                      - { user: "@alice:example.org", token: "${TURN_SECRET}" }
                """);
        Cli first = Cli.run("check-config", file.toString());
        assertEquals(0, first.exitCode(), first.toString());
        JsonNode printed = STRICT_YAML.readTree(first.out());
        assertEquals("${TURN_SECRET}", printed.at("/credentials/secrets/0").asText(), first.out());
        assertEquals(dir.resolve("turn.secret").toString(), printed.at("/credentials/secret_files/0").asText());
        assertEquals("${TERN_ADMIN_TOKEN}", printed.at("/matrix/access_tokens/users/0/token").asText(), first.out());
        assertEquals("@alice:example.org", printed.at("/matrix/access_tokens/users/1/user").asText(), first.out());
        assertFalse(first.out().contains("reference-config"), "no secret value is printed: " + first.out());

        Path pasted = Files.writeString(dir.resolve("pasted.yaml"), first.out());
        Cli again = Cli.run("check-config", pasted.toString());
        assertEquals(0, again.exitCode(), again.toString());
        assertEquals(printed, STRICT_YAML.readTree(again.out()), "the pasted config prints the same");
    }

    @Test
    void secretsWrittenInTheFilePrintAsTheMaskWhichIsRefusedByKeyPathOnlyForBeingTheMask() throws Exception {
        Path file = Files.writeString(dir.resolve("tern.yaml"), """
                server_name: example.org
                credentials: { type: rest, secrets: ["a-literal-turn-secret-0123456789"] }
                matrix:
                  listen: "http://127.0.0.1:8008"
                  well_known: { m.homeserver: { base_url: "https://matrix.example.org" } }
                  access_tokens:
                    type: static
                    tokens: { "alice-literal-token": "@alice:example.org", "bob-literal-token": "@bob:example.org" }
                    users: [{ user: "@carol:example.org", token: "carol-literal-token" }]
                    guests: ["@bob:example.org"]
                """);
        Cli first = Cli.run("check-config", file.toString());
        assertEquals(0, first.exitCode(), first.toString());
        JsonNode printed = STRICT_YAML.readTree(first.out());
        for (String secret : new String[] {"a-literal-turn-secret", "alice-literal-token", "bob-literal-token",
                "carol-literal-token"}) {
            assertFalse(first.out().contains(secret), secret + " is masked: " + first.out());
        }
        JsonNode users = printed.at("/matrix/access_tokens/users");
        assertEquals(3, users.size(), "the short form prints in the long form, after the long form's entries: "
                + first.out());
        assertEquals("@carol:example.org", users.get(0).get("user").asText());
        assertEquals("@alice:example.org", users.get(1).get("user").asText());
        assertEquals("@bob:example.org", users.get(2).get("user").asText());
        assertTrue(printed.at("/matrix/access_tokens/tokens").isMissingNode(), "no token is a key: " + first.out());

        // The config loads before the matrix section is built (as serve does), so the masks show in that order.
        String mask = "is ****, the mask check-config prints in place of a secret written in the file";
        Path pasted = Files.writeString(dir.resolve("pasted.yaml"), first.out());
        Cli again = Cli.run("check-config", pasted.toString());
        assertEquals(1, again.exitCode(), again.toString());
        assertEquals("Invalid configuration: " + pasted + ", line " + lineOf(first.out(), "secrets:", 1)
                + ": credentials.secrets[0]: " + mask + ": write the secret, or a ${ENV} reference to it, back",
                again.err().strip(), "only the mask is refused: " + again);

        Files.writeString(pasted, first.out().replaceFirst("(?m)^(  secrets:\\s*\\n  - ).*$", "$1\"\\${TURN_SECRET}\""));
        Cli third = Cli.run("check-config", pasted.toString());
        assertEquals(1, third.exitCode(), third.toString());
        assertTrue(third.err().contains("matrix.access_tokens.users[0].token: " + mask), third.toString());
        assertEquals(1, third.err().strip().lines().count(), "only the mask is refused: " + third);
    }

    /** The 1-based line {@code after} lines below the first line containing {@code text}. */
    private static int lineOf(String yaml, String text, int after) {
        java.util.List<String> lines = yaml.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1 + after;
            }
        }
        throw new AssertionError(text + " not in " + yaml);
    }
}
