package dev.tern.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starting and stopping the external processes tests run, never hanging. Stateless and thread-safe.
 */
public final class Processes {

    private static final long STOP_SECONDS = 5;

    /**
     * How a program run to completion ended. Immutable.
     *
     * @param exitCode its exit code, or -1 when it was killed at the time limit
     * @param output what it wrote to stdout and stderr
     * @param timedOut whether it was killed at the time limit
     */
    public record Finished(int exitCode, String output, boolean timedOut) {
    }

    private Processes() {
    }

    /**
     * The program found on {@code PATH}.
     *
     * @throws IllegalStateException saying "{@code program} is not on PATH: {@code installHint}" when it is not
     *         there: tests fail, they never skip
     */
    public static Path require(String program, String installHint) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(program + " is not on PATH: " + installHint);
    }

    /**
     * Runs a program to completion in {@code directory} (or the current one for {@code null}), its output captured.
     *
     * @throws AssertionError with the command and its output when it has not finished after {@code timeout} (it
     *         is killed): the test fails
     */
    public static Finished run(List<String> command, Path directory, Duration timeout)
            throws IOException, InterruptedException {
        Finished finished = runAtMost(command, directory, timeout);
        if (finished.timedOut()) {
            throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout + "; output:\n"
                    + finished.output());
        }
        return finished;
    }

    /** Runs a program for at most {@code timeout}, killing it then: for programs that may hang by design. */
    public static Finished runAtMost(List<String> command, Path directory, Duration timeout)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("tern-run-", ".log");
        Process process = new ProcessBuilder(command).directory(directory == null ? null : directory.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                stop(process);
                return new Finished(-1, read(log), true);
            }
            return new Finished(process.exitValue(), read(log), false);
        } finally {
            stop(process);
            Files.deleteIfExists(log);
        }
    }

    /** Starts a long-running program whose output nobody reads (it is discarded); stop it with {@link #stop}. */
    public static Process start(List<String> command) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    /** Starts {@code command} with its stdout and stderr going to {@code log} (created or truncated). */
    public static Process start(List<String> command, Path log) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /**
     * Stops a process and its children: politely first, forcibly after five seconds, giving up after five
     * more. Does nothing for {@code null} or a process that has ended.
     */
    public static void stop(Process process) {
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(STOP_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /**
     * Waits until {@code process} has written {@code marker} to {@code log} (a server's "ready" line) and returns
     * the log up to then.
     *
     * @throws AssertionError with the log when the process ends first or {@code limit} passes
     */
    public static String awaitOutput(Process process, Path log, String marker, Duration limit)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            String text = read(log);
            if (text.contains(marker)) {
                return text;
            }
            if (!process.isAlive()) {
                throw new AssertionError("the process ended (exit " + process.exitValue() + ") before printing '"
                        + marker + "':\n" + text);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no '" + marker + "' within " + limit + ":\n" + text);
            }
            Thread.sleep(100);
        }
    }

    /** What a process has written to its log so far (ISO-8859-1, so any bytes read), or why it cannot be read. */
    public static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }
}
