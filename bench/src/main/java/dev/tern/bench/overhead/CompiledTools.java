package dev.tern.bench.overhead;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The overhead measurement's C programs ({@code bench/floor/turn-load.c}, the load client, and
 * {@code udp-echo.c}, the echo peer), copied out of this jar and compiled with {@code gcc -O2} into a
 * temporary directory, as {@code bench/udp-floor.sh} does. {@link #close()} deletes the directory.
 *
 * <p>Not thread-safe to close while in use.
 */
public final class CompiledTools implements AutoCloseable {

    private static final String RESOURCES = "/dev/tern/bench/floor/";

    private final Path directory;

    private CompiledTools(Path directory) {
        this.directory = directory;
    }

    /**
     * Compiles both programs.
     *
     * @throws IOException saying to install gcc when it is missing, or with gcc's message when it fails
     */
    public static CompiledTools compile() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("tern-bench-overhead");
        CompiledTools tools = new CompiledTools(dir);
        try {
            tools.build("turn-load", "-pthread");
            tools.build("udp-echo");
            return tools;
        } catch (IOException | InterruptedException | RuntimeException e) {
            tools.close();
            throw e;
        }
    }

    /** The load client. */
    public Path turnLoad() {
        return directory.resolve("turn-load");
    }

    /** The echo peer ({@code udp-echo.c}), which counts the load client's window packets. */
    public Path countingEcho() {
        return directory.resolve("udp-echo");
    }

    private void build(String name, String... flags) throws IOException, InterruptedException {
        Path source = directory.resolve(name + ".c");
        try (InputStream in = CompiledTools.class.getResourceAsStream(RESOURCES + name + ".c")) {
            if (in == null) {
                throw new IOException(name + ".c is not in the bench's jar (" + RESOURCES + ")");
            }
            Files.copy(in, source);
        }
        List<String> command = new ArrayList<>(List.of("gcc", "-O2", "-o", directory.resolve(name).toString(),
                source.toString()));
        command.addAll(List.of(flags));
        Process gcc;
        try {
            gcc = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("gcc not found (apt-get install -y gcc): " + e.getMessage(), e);
        }
        String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!gcc.waitFor(60, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
            gcc.destroyForcibly();
            throw new IOException("gcc could not compile " + name + ".c: " + output);
        }
    }

    @Override
    public void close() throws IOException {
        try (var files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
