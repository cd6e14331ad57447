package dev.tern.matrix.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the own tests of {@code clients/js/matrix-force-turn} (node's test runner, the real matrix-js-sdk against
 * a loopback HTTP server) as part of {@code mvn verify}, so the package is checked wherever the Java suite is.
 */
class MatrixForceTurnPackageIT {

    static final Path PACKAGE = Path.of("..", "..", "clients", "js", "matrix-force-turn").toAbsolutePath().normalize();

    @Test
    void packageTestsPass() throws Exception {
        assertTrue(Files.isRegularFile(PACKAGE.resolve("package-lock.json")), PACKAGE + " is missing");
        NodeScript.install(PACKAGE);
        NodeScript.Result result = NodeScript.run(PACKAGE, List.of("node", "--test", "test/"), 120);
        String out = result.stdout() + result.stderr();
        assertEquals(0, result.exitCode(), out);
        assertTrue(out.contains("# fail 0") && !out.contains("# pass 0"), out);
    }
}
