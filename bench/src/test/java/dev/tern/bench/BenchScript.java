package dev.tern.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tern.testing.Processes;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Runs one of the bench's shell scripts (in the module's folder, where Maven runs the tests) for a smoke test. */
final class BenchScript {

    private BenchScript() {
    }

    /** Runs {@code bash script args...}, asserts it exits 0 within {@code seconds}, and returns what it printed. */
    static String run(int seconds, String script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", Path.of(script).toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Processes.Finished finished = Processes.run(command, null, Duration.ofSeconds(seconds));
        assertEquals(0, finished.exitCode(), finished.output());
        return finished.output();
    }
}
