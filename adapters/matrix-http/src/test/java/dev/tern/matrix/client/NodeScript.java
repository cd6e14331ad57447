package dev.tern.matrix.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tern.testing.Processes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the node scripts under {@code src/test/node} (or another directory with its own lockfile), installing
 * their pinned packages with {@code npm ci} when {@code node_modules} is missing. A missing tool fails the test with what to install; every run is bounded
 * and its process destroyed.
 */
final class NodeScript {

    static final Path DIR = Path.of("src", "test", "node").toAbsolutePath();

    private NodeScript() {
    }

    /** Output and exit code of a finished process. */
    record Result(int exitCode, String stdout, String stderr) {
    }

    static void install() throws Exception {
        install(DIR);
    }

    /** Installs the pinned packages of {@code dir} (its matrix-js-sdk is what every node dir here has). */
    static void install(Path dir) throws Exception {
        Processes.require("node", "install Node.js 20 or later (apt-get install -y nodejs npm, or nodesource)");
        Processes.require("npm", "install npm (apt-get install -y npm)");
        if (!Files.isDirectory(dir.resolve("node_modules").resolve("matrix-js-sdk"))) {
            Result ci = run(dir, List.of("npm", "ci", "--no-audit", "--no-fund"), 300);
            assertEquals(0, ci.exitCode(), "npm ci in " + dir + " failed:\n" + ci.stderr());
        }
    }

    static Result run(List<String> command, long timeoutSeconds) throws Exception {
        return run(DIR, command, timeoutSeconds);
    }

    static Result run(Path dir, List<String> command, long timeoutSeconds) throws Exception {
        Path out = Files.createTempFile("tern-node", ".out");
        Path err = Files.createTempFile("tern-node", ".err");
        Process process = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                fail(String.join(" ", command) + " did not finish within " + timeoutSeconds + "s:\n"
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
