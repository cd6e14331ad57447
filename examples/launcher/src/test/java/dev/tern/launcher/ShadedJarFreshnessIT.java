package dev.tern.launcher;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.testing.StaleClasses;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The executable jar this build packaged holds exactly the classes this build compiled: every Tern class in
 * {@code target/tern-launcher.jar} equals, byte for byte, the one on this module's test class path (its own
 * {@code target/classes} and the Tern modules it depends on). A shade whose input was the previous shaded jar
 * (re-packaging without {@code clean} when the fat jar had the main jar's name) kept the old relay classes and
 * fails here.
 */
class ShadedJarFreshnessIT {

    private static final Path JAR = Path.of("target", "tern-launcher.jar");

    @Test
    void everyTernClassInTheShadedJarIsTheOneThisBuildMade() throws Exception {
        assertTrue(Files.isRegularFile(JAR), "package first: " + JAR.toAbsolutePath());
        StaleClasses relay = StaleClasses.in(JAR, "dev/tern/relay/", getClass().getClassLoader());
        assertTrue(relay.compared() > 100, "the relay's classes are in the jar: " + relay.compared());
        StaleClasses all = StaleClasses.in(JAR, "dev/tern/", getClass().getClassLoader());
        assertTrue(all.fresh(), all.differing().size() + " of " + all.compared()
                + " Tern classes in " + JAR + " differ from this build's: " + all.differing().stream().limit(10).toList());
    }
}
