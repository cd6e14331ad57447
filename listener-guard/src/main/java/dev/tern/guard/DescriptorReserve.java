package dev.tern.guard;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
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
 * <p>Counting the process's descriptors lists {@code /proc/self/fd}, which takes milliseconds with ten thousand
 * open (and longer on a busy machine), on the event loop that accepts; done for every admitted connection, a flood
 * that kept the per-address caps busy (each connection closed at its first-message deadline, the next one
 * admitted) kept both event loops of a small machine listing descriptors, and the accept queue stopped moving for
 * everyone. So the process's reserve ({@link #forHttp}, {@link #forTurn}) counts at most once per
 * {@link #PROCESS_RECOUNT} and in between adds every connection it let through since the count (closes are seen at
 * the next count): it may refuse a little early, never late.
 *
 * <p>Thread-safe. It is for accepting connections, never for the forwarding path.
 */
public final class DescriptorReserve {

    /** How long the process's reserve uses one count of its open descriptors. */
    public static final Duration PROCESS_RECOUNT = Duration.ofSeconds(1);

    private final LongSupplier open;
    private final LongSupplier limit;
    private final int divisor;
    private final int minimum;
    private final LongSupplier nanoTime;
    private final long recountNanos;
    private final AtomicReference<Count> last = new AtomicReference<>();

    /** One count of the open descriptors, and the connections let through since. */
    private record Count(long atNanos, long open, AtomicLong admitted) {
    }

    /**
     * @param open the number of descriptors the process has open now
     * @param limit the most it may have open
     * @param divisor the reserve is {@code limit / divisor} ...
     * @param minimum ... or this many, whichever is more
     */
    public DescriptorReserve(LongSupplier open, LongSupplier limit, int divisor, int minimum) {
        this(open, limit, divisor, minimum, () -> 0, Duration.ZERO);
    }

    /**
     * A reserve that counts at most once per {@code recount} ({@link Duration#ZERO}: at every question).
     *
     * @param nanoTime the time, in nanoseconds from any origin
     */
    DescriptorReserve(LongSupplier open, LongSupplier limit, int divisor, int minimum, LongSupplier nanoTime,
            Duration recount) {
        this.open = open;
        this.limit = limit;
        this.divisor = divisor;
        this.minimum = minimum;
        this.nanoTime = nanoTime;
        this.recountNanos = recount.toNanos();
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
                    minimum, System::nanoTime, PROCESS_RECOUNT);
        }
        return new DescriptorReserve(() -> 0, () -> Long.MAX_VALUE, divisor, minimum);
    }

    /**
     * Whether the descriptors left are down to the reserve (a new connection should be refused). A {@code false}
     * answer counts as one more descriptor open until the next count.
     */
    public boolean reached() {
        long max = limit.getAsLong();
        long reserve = Math.max(minimum, max / divisor);
        Count count = current();
        if (count.open() + count.admitted().get() >= max - reserve) {
            return true;
        }
        count.admitted().incrementAndGet();
        return false;
    }

    private Count current() {
        long now = nanoTime.getAsLong();
        Count count = last.get();
        if (count == null || recountNanos == 0 || now - count.atNanos() >= recountNanos) {
            count = new Count(now, open.getAsLong(), new AtomicLong());
            last.set(count);
        }
        return count;
    }
}
