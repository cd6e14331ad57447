package dev.tern.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reference config shipped next to the launcher is accepted as written (the build sets its env variables). */
class ExampleConfigTest {

    private static final Path EXAMPLE = Path.of("tern.example.yaml");

    @Test
    void checkConfigAcceptsTheReferenceConfig() {
        Cli run = Cli.run("check-config", EXAMPLE.toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertFalse(run.out().contains(System.getenv("TURN_SECRET")), "secrets are masked: " + run);
        assertFalse(run.out().contains(System.getenv("LDAP_BIND_PASSWORD")), "secrets are masked: " + run);
        assertFalse(run.out().contains("change-me-token-of-alice"), "tokens are masked: " + run);
        assertFalse(run.out().contains(System.getenv("TERN_ADMIN_TOKEN")), "the admin token is masked: " + run);
    }

    @Test
    void theReferencePolicyFileDrivesAnExplanation(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("tern.yaml"), """
                server_name: example.org
                credentials: { type: rest, secrets: ["a-long-enough-test-secret-0123456789"] }
                policy:
                  sources: [ { type: file, name: rules, path: "%s" } ]
                """.formatted(Path.of("policy.example.yaml").toAbsolutePath()));
        Cli run = Cli.run("policy", "explain", "@carol:example.org", "--guest", "--ip", "10.1.2.3", "--config",
                config.toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(Pattern.compile("force_relay\\s+false\\s+rules / office-network").matcher(run.out()).find(), run.out());
        assertTrue(Pattern.compile("max_allocations\\s+2\\s+rules / guests-limited").matcher(run.out()).find(), run.out());
    }
}
