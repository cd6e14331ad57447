package dev.tern.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example plugin (examples/custom-policy-plugin, a test dependency here) is found through
 * META-INF/services and used from config with no code in the launcher: its rule shows in
 * {@code tern policy explain}.
 */
class PluginPolicyTest {

    @TempDir
    Path dir;

    @Test
    void policyExplainShowsThePluginsRule() throws Exception {
        Path config = Files.writeString(dir.resolve("tern.yaml"), """
                server_name: example.org
                credentials: { type: rest, secrets: ["a-long-enough-test-secret-0123456789"] }
                policy:
                  sources:
                    - type: office-hours
                      name: office
                      time_zone: Europe/Berlin
                      opens: "08:00"
                      closes: "18:00"
                      days: [monday, tuesday, wednesday, thursday, friday]
                """);
        Cli run = Cli.run("policy", "explain", "@alice:example.org", "--config", config.toString());
        assertEquals(0, run.exitCode(), run.toString());
        // The real clock decides which of the plugin's two rules applies; each goes with its own value.
        Matcher line = Pattern.compile("force_relay\\s+(true|false)\\s+office / (office hours|outside office hours)")
                .matcher(run.out());
        assertTrue(line.find(), run.out());
        assertEquals(line.group(1).equals("true"), line.group(2).equals("outside office hours"), run.out());
    }

    @Test
    void checkConfigRefusesAPluginSettingWithTheKeyPath() throws Exception {
        Path config = Files.writeString(dir.resolve("tern.yaml"), """
                server_name: example.org
                policy:
                  sources:
                    - { type: office-hours, time_zone: Mars/Olympus }
                """);
        Cli run = Cli.run("check-config", config.toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("policy.sources[0].time_zone"), run.toString());
    }
}
