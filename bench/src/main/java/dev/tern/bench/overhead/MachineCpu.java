package dev.tern.bench.overhead;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The whole machine's CPU time from the first line of {@code /proc/stat}, in clock ticks (USER_HZ, 1/100 s on
 * every architecture Tern targets), summed over all CPUs. Busy is user + nice + system + irq + softirq + steal:
 * everything but idle and iowait (guest time is already inside user). Work the kernel does in softirq, such as
 * forwarding in a TC program, counts here wherever it is charged, which a process's own CPU time does not show.
 *
 * <p>Immutable.
 *
 * @param busyTicks user + nice + system + irq + softirq + steal
 * @param totalTicks busy plus idle and iowait
 */
public record MachineCpu(long busyTicks, long totalTicks) {

    /** Clock ticks per second in {@code /proc/stat}. */
    public static final double TICKS_PER_SECOND = 100.0;

    /**
     * Parses the aggregate line, {@code cpu  user nice system idle iowait irq softirq steal [guest guest_nice]}.
     *
     * @throws IllegalArgumentException when the line is not {@code /proc/stat}'s aggregate {@code cpu} line
     */
    public static MachineCpu parse(String line) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 9 || !f[0].equals("cpu")) {
            throw new IllegalArgumentException("not the aggregate cpu line of /proc/stat (cpu and at least 8 "
                    + "counters): '" + line + "'");
        }
        // The columns' order is proc(5)'s.
        long user = counter(f, 1, line);
        long nice = counter(f, 2, line);
        long system = counter(f, 3, line);
        long idle = counter(f, 4, line);
        long iowait = counter(f, 5, line);
        long irq = counter(f, 6, line);
        long softirq = counter(f, 7, line);
        long steal = counter(f, 8, line);
        long busy = user + nice + system + irq + softirq + steal;
        return new MachineCpu(busy, busy + idle + iowait);
    }

    private static long counter(String[] fields, int index, String line) {
        try {
            return Long.parseLong(fields[index]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a counter of /proc/stat's cpu line is not a whole number: '"
                    + line + "'", e);
        }
    }

    /** The machine's counters now. */
    public static MachineCpu now() throws IOException {
        try (var lines = Files.lines(Path.of("/proc/stat"))) {
            return parse(lines.findFirst().orElseThrow(() -> new IOException("/proc/stat is empty")));
        }
    }

    /** The time spent since {@code before}. */
    public MachineCpu since(MachineCpu before) {
        return new MachineCpu(busyTicks - before.busyTicks, totalTicks - before.totalTicks);
    }

    /** Busy CPU seconds. */
    public double busySeconds() {
        return busyTicks / TICKS_PER_SECOND;
    }

    /** The busy share of all CPUs' time, 0 to 1 (NaN for no time). */
    public double busyShare() {
        return totalTicks == 0 ? Double.NaN : (double) busyTicks / totalTicks;
    }
}
