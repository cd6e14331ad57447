package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs real programs for integration tests: bounded waits, output captured, always destroyed. */
final class ExternalProcess {

    /**
     * The output and exit code of a program.
     *
     * @param exitCode the exit code, or -1 when it was killed at the time limit
     * @param timedOut whether it was killed at the time limit
     */
    record Result(int exitCode, String output, boolean timedOut) {
    }

    private ExternalProcess() {
    }

    /** Fails the test, saying how to install it, when {@code program} is not on the PATH. */
    static void require(String program, String installHint) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return;
            }
        }
        fail(program + " is not installed; " + installHint);
    }

    /** Runs a program to completion, killing it and failing the test after {@code timeout}. */
    static Result run(List<String> command, Path directory, Duration timeout) throws IOException, InterruptedException {
        Result result = runAtMost(command, directory, timeout);
        if (result.timedOut()) {
            fail(String.join(" ", command) + " did not finish within " + timeout + "; output:\n" + result.output());
        }
        return result;
    }

    /** Runs a program for at most {@code timeout}, killing it then (for programs that may hang by design). */
    static Result runAtMost(List<String> command, Path directory, Duration timeout)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("tern-relay-it", ".log");
        Process p = new ProcessBuilder(command).directory(directory == null ? null : directory.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                return new Result(-1, read(log), true);
            }
            return new Result(p.exitValue(), read(log), false);
        } finally {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
            Files.deleteIfExists(log);
        }
    }

    /** Starts a long-running program; the caller destroys it. */
    static Process start(List<String> command) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    /** Destroys a started program and waits (bounded) for it to go. */
    static void stop(Process p) throws InterruptedException {
        if (p != null) {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static String read(Path log) throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }
}
