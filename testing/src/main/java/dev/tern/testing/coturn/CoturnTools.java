package dev.tern.testing.coturn;

import dev.tern.testing.Processes;
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
        return Processes.require(binary, "install coturn (apt-get install -y coturn)");
    }
}
