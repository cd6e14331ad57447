package dev.tern.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starting and stopping the external processes tests run, never hanging. Stateless and thread-safe.
 */
public final class Processes {

    private static final long STOP_SECONDS = 5;

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

    /** What a process has written to its log so far (ISO-8859-1, so any bytes read), or why it cannot be read. */
    public static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }
}
