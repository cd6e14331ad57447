package dev.tern.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every package of main code in the repository, in every module, has a {@code package-info.java} with a comment
 * saying what the package is for (#20.1). Read from the source tree, since javac writes no class for a
 * package-info without annotations.
 */
class PackageInfoTest {

    /** The repository root: this module's parent directory (Maven runs tests in the module's directory). */
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    private static final Set<String> SKIPPED = Set.of(".git", "target", "node_modules");

    @Test
    void everyMainPackageSaysWhatItIsFor() throws IOException {
        List<Path> packages = mainPackages();
        assertTrue(packages.size() > 30, () -> "too few packages found under " + ROOT + ": " + packages);
        List<String> missing = packages.stream()
                .filter(dir -> !describes(dir.resolve("package-info.java")))
                .map(dir -> ROOT.relativize(dir).toString())
                .toList();
        assertEquals(List.of(), missing, "packages without a package-info.java that has a Javadoc comment");
    }

    /** Directories under some module's src/main/java that hold Java sources (build output and .git skipped). */
    private static List<Path> mainPackages() throws IOException {
        Set<Path> packages = new TreeSet<>();
        Files.walkFileTree(ROOT, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                return SKIPPED.contains(name) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                if (file.toString().endsWith(".java") && file.toString().contains("/src/main/java/")) {
                    packages.add(file.getParent());
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return List.copyOf(packages);
    }

    private static boolean describes(Path packageInfo) {
        try {
            return Files.exists(packageInfo) && Files.readString(packageInfo).contains("/**");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
