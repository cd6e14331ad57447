package dev.tern.bench.load;

import dev.tern.testing.PortRange;
import dev.tern.testing.coturn.Turnserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * coturn's {@code turnserver} (Debian package {@code coturn}) as a {@link RelayUnderTest}: the test suite's
 * {@link Turnserver} on loopback with TURN REST auth ({@code use-auth-secret}) and {@code allow-loopback-peers},
 * UDP only, relaying on the ports both servers get, its files in a temporary directory.
 *
 * <p>{@link #start} fails with a message saying to install coturn when the binary is missing, and returns once the
 * server answers a STUN Binding. {@link #close()} stops it and deletes its directory.
 */
public final class Coturn implements RelayUnderTest {

    private final Turnserver server;
    private final Path directory;

    private Coturn(Turnserver server, Path directory) {
        this.server = server;
        this.directory = directory;
    }

    /** Starts turnserver with this shared secret on a free loopback port, with its default threads. */
    public static Coturn start(String secret) throws IOException {
        return start(secret, 0, List.of(), RELAY_PORTS);
    }

    /**
     * Starts turnserver with this shared secret on a free loopback port.
     *
     * @param relayThreads coturn's {@code relay-threads}, or 0 for its default (one per CPU)
     * @param launcher words put before the command, e.g. {@code [taskset, -c, 1]} to pin it
     * @param relayPorts the ports it relays on
     */
    public static Coturn start(String secret, int relayThreads, List<String> launcher, PortRange relayPorts)
            throws IOException {
        List<String> flags = new ArrayList<>(List.of("--no-tcp", "--no-software-attribute"));
        if (relayThreads > 0) {
            flags.add("--relay-threads=" + relayThreads);
        }
        Path dir = Files.createTempDirectory("tern-bench-coturn");
        try {
            return new Coturn(Turnserver.builder(dir).authSecrets(List.of(secret)).realm("bench")
                    .relayPorts(relayPorts).arguments(flags).launcher(launcher)
                    .start(), dir);
        } catch (IOException | RuntimeException e) {
            delete(dir);
            throw e;
        }
    }

    @Override
    public String name() {
        return "coturn";
    }

    @Override
    public InetSocketAddress address() {
        return server.address();
    }

    @Override
    public long pid() {
        return server.pid();
    }

    @Override
    public void close() throws IOException {
        server.close();
        delete(directory);
    }

    private static void delete(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
