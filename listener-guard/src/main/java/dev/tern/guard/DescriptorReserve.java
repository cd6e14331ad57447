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
 * <p>Two tiers, so that the listeners a flood reaches first give way first: the HTTP ports ({@link #forHttp})
 * keep a tenth of the process's limit ({@code RLIMIT_NOFILE}, at least 64) free, TURN over TCP and TLS
 * ({@link #forTurn}) a twentieth (at least 32), and what is left is for relay sockets. Where the JVM cannot
 * count descriptors (not a Unix), the reserve is never reached.
 *
 * <p>Thread-safe and stateless apart from what it reads. {@link #reached()} lists the process's open
 * descriptors ({@code /proc/self/fd}), so it is for accepting connections, never for the forwarding path.
 */
public final class DescriptorReserve {

    private final LongSupplier open;
    private final LongSupplier limit;
    private final int divisor;
    private final int minimum;

    /**
     * @param open the number of descriptors the process has open now
     * @param limit the most it may have open
     * @param divisor the reserve is {@code limit / divisor} ...
     * @param minimum ... or this many, whichever is more
     */
    public DescriptorReserve(LongSupplier open, LongSupplier limit, int divisor, int minimum) {
        this.open = open;
        this.limit = limit;
        this.divisor = divisor;
        this.minimum = minimum;
    }

    /** The reserve the HTTP listeners (Matrix endpoints, admin) keep: a tenth of the limit, at least 64. */
    public static DescriptorReserve forHttp() {
        return ofProcess(10, 64);
    }

    /** {@link #forHttp}'s reserve over these counts (for tests). */
    static DescriptorReserve forHttpOf(LongSupplier open, LongSupplier limit) {
        return new DescriptorReserve(open, limit, 10, 64);
    }

    /** The reserve TURN over TCP and TLS keeps: a twentieth of the limit, at least 32. */
    public static DescriptorReserve forTurn() {
        return ofProcess(20, 32);
    }

    private static DescriptorReserve ofProcess(int divisor, int minimum) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof UnixOperatingSystemMXBean unix) {
            return new DescriptorReserve(unix::getOpenFileDescriptorCount, unix::getMaxFileDescriptorCount, divisor,
                    minimum);
        }
        return new DescriptorReserve(() -> 0, () -> Long.MAX_VALUE, divisor, minimum);
    }

    /** Whether the descriptors left are down to the reserve (a new connection should be refused). */
    public boolean reached() {
        long max = limit.getAsLong();
        long reserve = Math.max(minimum, max / divisor);
        return open.getAsLong() >= max - reserve;
    }
}
