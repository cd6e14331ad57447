package dev.tern.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.testing.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the exact commands of examples/custom-policy-plugin/README.md (the block between
 * {@code <!-- plugin-commands -->} markers) from the repository root: build the example jar, copy it into
 * {@code plugins/}, then {@code java -jar tern-launcher.jar check-config} and {@code policy explain} know type
 * {@code office-hours}; {@code serve} lists it; and without the jar the same config is refused. Removes what it
 * created in {@code plugins/}.
 */
class PluginDirectoryIT {

    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    private static final Path README = ROOT.resolve("examples/custom-policy-plugin/README.md");
    private static final Path PLUGINS = ROOT.resolve("plugins");
    private static final Path COPIED = PLUGINS.resolve("tern-example-custom-policy-plugin.jar");
    private static final String CONFIG = "examples/custom-policy-plugin/office-hours.yaml";
    private static final String JAR = "examples/launcher/target/tern-launcher.jar";

    @TempDir
    Path dir;

    private record Run(String command, int exitCode, String output) {
    }

    @Test
    void theReadmesCommandsLoadTheExamplePluginFromThePluginDirectory() throws Exception {
        List<String> commands = readmeCommands();
        assertTrue(commands.size() >= 4 && commands.get(2).startsWith("cp "), commands.toString());
        boolean pluginsExisted = Files.exists(PLUGINS);
        assertFalse(Files.exists(COPIED), COPIED + " exists already: remove it, this test copies it itself");
        try {
            List<Run> runs = new ArrayList<>();
            for (String command : commands) {
                Run run = sh(command);
                assertEquals(0, run.exitCode(), run.toString());
                runs.add(run);
            }
            Run check = runs.get(3);
            assertTrue(check.output().contains("type: office-hours"), check.output());
            assertTrue(check.output().contains("Plugin tern-example-custom-policy-plugin.jar (1 jar): policy source "
                    + "'office-hours'"), check.output());
            Run explain = runs.get(4);
            assertTrue(Pattern.compile("force_relay\\s+(true|false)\\s+office / (office hours|outside office hours)")
                    .matcher(explain.output()).find(), explain.output());

            assertServeListsThePlugin();

            Path empty = Files.createDirectory(dir.resolve("no-plugins"));
            Run without = sh("java -jar " + JAR + " check-config --plugins " + empty + " " + CONFIG);
            assertEquals(1, without.exitCode(), without.toString());
            assertTrue(without.output().contains("policy.sources[0].type: unknown type 'office-hours'"), without.output());
        } finally {
            Files.deleteIfExists(COPIED);
            if (!pluginsExisted) {
                Files.deleteIfExists(PLUGINS);
            }
        }
    }

    private void assertServeListsThePlugin() throws Exception {
        Path log = dir.resolve("serve.log");
        Process serve = new ProcessBuilder("java", "-jar", JAR, "serve", "--config", CONFIG, "--drain", "1s")
                .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Processes.awaitOutput(serve, log, "Ready.", Duration.ofSeconds(60));
            String output = Processes.read(log);
            assertTrue(Pattern.compile("Providers found: .*policy sources [^;]*office-hours").matcher(output).find(),
                    output);
        } finally {
            Processes.stop(serve);
        }
    }

    private static List<String> readmeCommands() throws IOException {
        String text = Files.readString(README);
        int start = text.indexOf("<!-- plugin-commands -->");
        int end = text.indexOf("<!-- /plugin-commands -->");
        assertTrue(start >= 0 && end > start, "the command block is marked in " + README);
        List<String> commands = new ArrayList<>();
        for (String line : text.substring(start, end).split("\n")) {
            if (!line.isBlank() && !line.startsWith("<!--") && !line.startsWith("```")) {
                commands.add(line.strip());
            }
        }
        return commands;
    }

    private Run sh(String command) throws Exception {
        Path log = Files.createTempFile(dir, "command", ".log");
        Process process = new ProcessBuilder("sh", "-c", command).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            assertTrue(process.waitFor(300, TimeUnit.SECONDS), command + " still running:\n" + Processes.read(log));
            return new Run(command, process.exitValue(), Processes.read(log));
        } finally {
            Processes.stop(process);
        }
    }
}
