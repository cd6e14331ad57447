package dev.tern.guard;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.function.LongSupplier;

/**
 * Keeps the last file descriptors of the process for the work that must not fail (relay sockets for new
 * allocations, TURN's own sockets): a TCP listener asks {@link #reached()} before it keeps a new
 * connection and refuses the connection when the reserve is reached. Without it, idle connections to one
 * port (1 100 to the HTTP port were enough under the usual limit of 1 024) used up every descriptor and
 * the relay answered Allocate with 508.
 *
 * <p>The reserve is a tenth of the process's limit ({@code RLIMIT_NOFILE}), at least {@value #MIN_RESERVE}.
 * Where the JVM cannot count descriptors (not a Unix), the reserve is never reached.
 *
 * <p>Thread-safe and stateless apart from what it reads. {@link #reached()} lists the process's open
 * descriptors ({@code /proc/self/fd}), so it is for accepting connections, never for the forwarding path.
 */
public final class DescriptorReserve {

    /** The smallest reserve, whatever the limit. */
    public static final int MIN_RESERVE = 32;

    private final LongSupplier open;
    private final LongSupplier limit;

    /**
     * @param open the number of descriptors the process has open now
     * @param limit the most it may have open
     */
    public DescriptorReserve(LongSupplier open, LongSupplier limit) {
        this.open = open;
        this.limit = limit;
    }

    /** The reserve of this process, read through the JVM's {@code UnixOperatingSystemMXBean}. */
    public static DescriptorReserve ofProcess() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof UnixOperatingSystemMXBean unix) {
            return new DescriptorReserve(unix::getOpenFileDescriptorCount, unix::getMaxFileDescriptorCount);
        }
        return new DescriptorReserve(() -> 0, () -> Long.MAX_VALUE);
    }

    /** Whether the descriptors left are down to the reserve (a new connection should be refused). */
    public boolean reached() {
        long max = limit.getAsLong();
        long reserve = Math.max(MIN_RESERVE, max / 10);
        return open.getAsLong() >= max - reserve;
    }
}
