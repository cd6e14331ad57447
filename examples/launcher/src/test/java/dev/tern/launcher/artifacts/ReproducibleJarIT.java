package dev.tern.launcher.artifacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reproducible builds (#21.2): tern-api's jar, built twice from copies of the same sources (tern-parent's pom and
 * {@code api/}) in two different directories a few seconds apart, has the same bytes (SHA-256). The two builds run
 * the real Maven, offline, with tern-parent's settings ({@code project.build.outputTimestamp} fixes the entries'
 * times; the build directory's path and the clock must leave no trace). tern-api stands for every library module:
 * they share tern-parent's jar configuration. Takes ~15 – 25 s (two Maven runs, overlapping).
 */
class ReproducibleJarIT {

    private static final long BUILD_LIMIT_SECONDS = 180;
    /** The second build starts this much later, so that a build time leaking into the jar (2 s zip resolution) shows. */
    private static final long STAGGER_MILLIS = 2_500;

    @TempDir
    Path dir;

    @Test
    void ternApisJarBuiltTwiceInTwoDirectoriesHasTheSameBytes() throws Exception {
        String version = PublishedModules.ownVersion(PublishedModules.text(PublishedModules.ROOT.resolve("pom.xml")));
        Path first = copy(dir.resolve("first"));
        Path second = copy(dir.resolve("second"));
        Process a = build(first);
        Process b = null;
        try {
            Thread.sleep(STAGGER_MILLIS);
            b = build(second);
            awaitBuilt(a, first);
            awaitBuilt(b, second);
        } finally {
            stop(a);
            if (b != null) {
                stop(b);
            }
        }
        String jar = "api/target/tern-api-" + version + ".jar";
        assertEquals(sha256(first.resolve(jar)), sha256(second.resolve(jar)),
                "two builds of " + jar + " differ: the build is not reproducible");
    }

    /** tern-parent's pom and tern-api's sources (no build output), where the api's pom looks for its parent. */
    private static Path copy(Path to) throws IOException {
        Files.createDirectories(to);
        Files.copy(PublishedModules.ROOT.resolve("pom.xml"), to.resolve("pom.xml"));
        Path api = PublishedModules.ROOT.resolve("api");
        try (Stream<Path> files = Files.walk(api)) {
            for (Path file : files.filter(p -> !api.relativize(p).startsWith("target")).toList()) {
                Path target = to.resolve("api").resolve(api.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        return to;
    }

    private static Process build(Path root) throws IOException {
        String repository = System.getProperty("tern.test.localRepository");
        assertTrue(repository != null && !repository.isBlank(),
                "failsafe passes tern.test.localRepository (the launcher's pom sets it)");
        return new ProcessBuilder(List.of("mvn", "-B", "-q", "-o", "-Dmaven.repo.local=" + repository,
                "-f", root.resolve("api/pom.xml").toString(), "package", "-DskipTests"))
                .redirectErrorStream(true).redirectOutput(root.resolve("build.log").toFile()).start();
    }

    private static void awaitBuilt(Process build, Path root) throws Exception {
        assertTrue(build.waitFor(BUILD_LIMIT_SECONDS, TimeUnit.SECONDS), "the build in " + root + " ended");
        assertEquals(0, build.exitValue(), "the build in " + root + " failed:\n"
                + Files.readString(root.resolve("build.log")));
    }

    /** Ends a build that is still running (a failed test) and its children, Maven's forked JVMs. */
    private static void stop(Process build) throws InterruptedException {
        build.descendants().forEach(ProcessHandle::destroyForcibly);
        build.destroyForcibly();
        build.waitFor(10, TimeUnit.SECONDS);
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
