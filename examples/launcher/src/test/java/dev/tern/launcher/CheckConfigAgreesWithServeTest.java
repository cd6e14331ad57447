package dev.tern.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check-config} and {@code serve} refuse the same config (issue #22 points 2, 9, 10); that what
 * {@code check-config} prints can be pasted back (point 11) is {@link PrintedConfigTest}'s. Both commands run in
 * process, as {@code tern} runs them; {@code serve} here only ever meets configs it must refuse.
 */
class CheckConfigAgreesWithServeTest {

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

    private Cli serve(Path config) {
        return assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Cli.run("serve", "--config", config.toString()),
                "serve must refuse this config, not start");
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }
}
