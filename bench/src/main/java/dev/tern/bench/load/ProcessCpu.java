package dev.tern.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of a process from {@code /proc/PID/stat} (user + system, fields 14 and 15, in clock
 * ticks of 1/100 s, the Linux USER_HZ on every architecture Tern targets).
 *
 * <p>Thread-safe (stateless). Linux only: elsewhere, and for a process that is gone, it throws.
 */
public final class ProcessCpu {

    private static final double TICKS_PER_SECOND = 100.0;
    private final long pid;

    /** @param pid the process to watch */
    public ProcessCpu(long pid) {
        this.pid = pid;
    }

    /** User plus system CPU seconds the process has used so far. */
    public double seconds() throws IOException {
        return times().total();
    }

    /** CPU seconds in user space and in the kernel (system calls, and softirq work charged to the process). */
    public record Times(double user, double system) {

        /** User plus system. */
        public double total() {
            return user + system;
        }

        /** The time used since {@code before}. */
        public Times since(Times before) {
            return new Times(user - before.user, system - before.system);
        }
    }

    /** The process's user and system CPU seconds so far. */
    public Times times() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // The command name (field 2) may contain spaces and parentheses: count fields after the last ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long user = Long.parseLong(fields[11]);
        long system = Long.parseLong(fields[12]);
        return new Times(user / TICKS_PER_SECOND, system / TICKS_PER_SECOND);
    }
}
