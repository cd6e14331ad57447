package dev.tern.testing;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free ports on loopback for tests that start servers. A port found free may be taken again before the
 * test binds it; callers that bind at once rarely lose that race. Stateless and thread-safe.
 */
public final class FreePorts {

    /** The loopback address every fixture here binds and talks to. */
    public static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private static final int ATTEMPTS = 50;

    private FreePorts() {
    }

    /**
     * A port free for both UDP and TCP on loopback right now.
     *
     * @throws IOException when none is found after 50 attempts
     */
    public static int udpAndTcp() throws IOException {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try (DatagramSocket udp = new DatagramSocket(0, LOOPBACK)) {
                int port = udp.getLocalPort();
                try (ServerSocket tcp = new ServerSocket(port, 1, LOOPBACK)) {
                    return port;
                } catch (IOException taken) {
                    // try another
                }
            }
        }
        throw new IOException("no port free for both UDP and TCP on loopback after " + ATTEMPTS + " attempts");
    }

    /**
     * A random block of {@code size} relay ports, aligned to {@code size}, in 40000-59999, so that relays
     * started by tests running side by side rarely share ports (coturn and Tern both skip ports that are
     * taken).
     *
     * @throws IllegalArgumentException when {@code size} is not in 1-10000
     */
    public static PortRange relayRange(int size) {
        if (size < 1 || size > 10_000) {
            throw new IllegalArgumentException("relay range size must be 1-10000, was " + size);
        }
        int start = 40_000 + ThreadLocalRandom.current().nextInt(20_000 / size) * size;
        return new PortRange(start, start + size - 1);
    }
}
