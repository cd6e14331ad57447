package dev.tern.bench.load;

import dev.tern.testing.PortRange;
import java.io.IOException;
import java.net.InetSocketAddress;

/** A TURN server process started for a measurement: where it listens, its pid, and how to stop it. */
public interface RelayUnderTest extends AutoCloseable {

    /**
     * The ports a server relays on when it runs alone: the range holds the capacity run's 10 000 allocations
     * and more.
     */
    PortRange RELAY_PORTS = new PortRange(20000, 59999);

    /** The relay ports of the first of two servers that run at once: the lower half of {@link #RELAY_PORTS}. */
    PortRange LOWER_RELAY_PORTS = new PortRange(20000, 39999);

    /** The relay ports of the second of two servers that run at once: the upper half of {@link #RELAY_PORTS}. */
    PortRange UPPER_RELAY_PORTS = new PortRange(40000, 59999);

    /** A short name for reports ({@code coturn}, {@code tern}). */
    String name();

    /** Its UDP listening address. */
    InetSocketAddress address();

    /** Its process id, for CPU measurement. */
    long pid();

    /**
     * Heap in use after a full garbage collection, for a server that can say (Tern's relay process);
     * empty for others.
     */
    default java.util.OptionalLong heapUsedAfterGc() throws IOException {
        return java.util.OptionalLong.empty();
    }

    @Override
    void close() throws IOException;
}
