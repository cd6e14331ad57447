package dev.tern.testing.browser;

import dev.tern.testing.Processes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Node.js script in a directory with its own {@code package-lock.json} pinning playwright-core, driving
 * Debian's headless Chromium ({@value #CHROMIUM_PATH}). {@link #in} checks that node, npm and Chromium are
 * installed and runs {@code npm ci} once when {@code node_modules/playwright-core} is missing; {@link #run}
 * runs the script to completion, bounded, and returns its output (UTF-8). Immutable and thread-safe; each run logs to a new temp file.
 */
public final class PlaywrightScript {

    /** Where Debian's {@code chromium} package installs the browser. */
    public static final String CHROMIUM_PATH = "/usr/bin/chromium";

    private static final Duration NPM_CI = Duration.ofMinutes(5);

    private final Path directory;
    private final Path script;

    private PlaywrightScript(Path directory, Path script) {
        this.directory = directory;
        this.script = script;
    }

    /**
     * What one run printed. Immutable.
     *
     * @param exitCode the script's exit code
     * @param output its stdout and stderr
     */
    public record Run(int exitCode, String output) {
    }

    /**
     * The script {@code name} in {@code directory}, with playwright-core installed there.
     *
     * @throws IllegalStateException saying what to install when node, npm or Chromium is missing, or when
     *         {@code npm ci} fails: tests fail, they never skip
     * @throws IOException when {@code npm ci} cannot be run or does not finish within five minutes
     */
    public static PlaywrightScript in(Path directory, String name) throws IOException {
        Path dir = directory.toAbsolutePath().normalize();
        Path script = dir.resolve(name);
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException(script + " is missing");
        }
        Processes.require("node", "install Node.js 20 or later (apt-get install -y nodejs npm)");
        Processes.require("npm", "install npm (apt-get install -y npm)");
        if (!Files.isExecutable(chromium())) {
            throw new IllegalStateException(CHROMIUM_PATH + " is missing: install Debian's Chromium "
                    + "(apt-get install -y chromium)");
        }
        if (!Files.isDirectory(dir.resolve("node_modules").resolve("playwright-core"))) {
            Run ci = run(dir, List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), NPM_CI);
            if (ci.exitCode() != 0) {
                throw new IllegalStateException("npm ci in " + dir + " failed:\n" + ci.output());
            }
        }
        return new PlaywrightScript(dir, script);
    }

    /** Debian's Chromium, to pass to a script as its {@code executablePath}. */
    public static Path chromium() {
        return Path.of(CHROMIUM_PATH);
    }

    /**
     * Runs {@code node SCRIPT ARGUMENTS...} in the script's directory with {@code environment} added to this
     * process's, and returns what it printed; it and its children are stopped when it ends or times out.
     *
     * @throws IOException when it does not finish within {@code timeout}, with what it printed so far
     */
    public Run run(List<String> arguments, Map<String, String> environment, Duration timeout) throws IOException {
        List<String> command = new ArrayList<>(List.of("node", script.toString()));
        command.addAll(arguments);
        return run(directory, command, environment, timeout);
    }

    private static Run run(Path directory, List<String> command, Map<String, String> environment, Duration timeout)
            throws IOException {
        Path log = Files.createTempFile("tern-node-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException(String.join(" ", command) + " did not finish within " + timeout.toSeconds()
                        + " s; output:\n" + Processes.read(log));
            }
            return new Run(process.exitValue(), new String(Files.readAllBytes(log), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while " + String.join(" ", command) + " ran", e);
        } finally {
            Processes.stop(process);
            Files.deleteIfExists(log);
        }
    }
}
