package dev.tern.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;

/** A TURN server process started for a measurement: where it listens, its pid, and how to stop it. */
public interface RelayUnderTest extends AutoCloseable {

    /** The first port both servers relay on: the range holds the capacity run's 10 000 allocations and more. */
    int RELAY_PORT_LOW = 20000;
    /** The last port both servers relay on. */
    int RELAY_PORT_HIGH = 59999;

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
