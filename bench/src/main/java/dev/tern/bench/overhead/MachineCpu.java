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
        long[] v = new long[8];
        try {
            for (int i = 0; i < 8; i++) {
                v[i] = Long.parseLong(f[i + 1]);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a counter of /proc/stat's cpu line is not a whole number: '"
                    + line + "'", e);
        }
        long busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
        return new MachineCpu(busy, busy + v[3] + v[4]);
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
