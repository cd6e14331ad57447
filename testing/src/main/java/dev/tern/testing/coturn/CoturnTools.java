package dev.tern.testing.coturn;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds coturn's binaries. Stateless and thread-safe. */
public final class CoturnTools {

    private CoturnTools() {
    }

    /**
     * The binary ({@code turnserver}, {@code turnutils_uclient}, {@code turnutils_peer} ...) found on
     * {@code PATH}.
     *
     * @throws IllegalStateException saying to install coturn ({@code apt-get install -y coturn}) when it is not
     *         there: tests fail, they never skip
     */
    public static Path require(String binary) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, binary);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(binary + " is not on PATH: install coturn (apt-get install -y coturn)");
    }
}
