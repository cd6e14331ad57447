package dev.tern.launcher;

import dev.tern.admin.RelayDrain;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The drain of {@code tern serve}, however it is asked for ({@code tern drain} through the admin API, SIGTERM):
 * the first {@link #start()} runs the service's shutdown ({@link TernService#close()}: the relay drains with new
 * Allocates sent elsewhere and {@code /health/ready} at 503, live allocations go on until they end or the
 * deadline, then everything stops and the relay leaves its fleet) on a thread of its own; when
 * {@link TernService#closed()} completes, {@code tern serve} exits 0.
 *
 * <p>Thread-safe; {@link #start()} is idempotent and returns the first call's deadline.
 */
final class DrainSequence implements RelayDrain {

    private final Clock clock;
    private final Duration deadline;
    private Runnable shutdown;
    private Instant startedDeadline;

    DrainSequence(Clock clock, Duration deadline) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.deadline = Objects.requireNonNull(deadline, "deadline");
    }

    /** What {@link #start()} runs: the service's shutdown. Set once the service exists. */
    synchronized void onStart(Runnable shutdown) {
        this.shutdown = Objects.requireNonNull(shutdown, "shutdown");
    }

    /** How long live allocations may go on once the drain starts. */
    Duration deadline() {
        return deadline;
    }

    @Override
    public synchronized Instant start() {
        if (startedDeadline == null) {
            startedDeadline = clock.instant().plus(deadline);
            Runnable run = shutdown;
            if (run != null) {
                new Thread(run, "tern-drain").start();
            }
        }
        return startedDeadline;
    }
}
