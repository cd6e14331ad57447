package dev.tern.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs one of the bench's shell scripts (in the module's folder, where Maven runs the tests) for a smoke test. */
final class BenchScript {

    private BenchScript() {
    }

    /** Runs {@code bash script args...}, asserts it exits 0 within {@code seconds}, and returns what it printed. */
    static String run(int seconds, String script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", Path.of(script).toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try (var in = process.getInputStream()) {
            assertTrue(process.waitFor(seconds, TimeUnit.SECONDS), script + " finished within " + seconds + " s");
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            process.destroyForcibly();
        }
        assertEquals(0, process.exitValue(), output);
        return output;
    }
}
