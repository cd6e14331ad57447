package dev.tern.bench.overhead;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one run of the load client ({@code turn-load.c}) reported about its measured window: its packets and the
 * CPU time spent. As JSON one flat object. Immutable.
 *
 * @param windowNanos how long the window lasted
 * @param packets what the client sent and got back
 * @param cpu the CPU time of the client, the machine and other processes during the window
 */
public record ClientRun(long windowNanos, @JsonUnwrapped Packets packets, @JsonUnwrapped Cpu cpu) {

    /**
     * The client's packets.
     *
     * @param sent window packets sent
     * @param received window packets that came back to the client (during the window or the drain after it)
     * @param leadSent packets sent in the unmeasured lead-in
     * @param sendFailed window packets the kernel refused to send (counted in {@code sent}, so lost)
     */
    public record Packets(long sent, long received, long leadSent, long sendFailed) {
    }

    /**
     * CPU time during the window.
     *
     * @param clientCpuMicros the client's own CPU time (user and system, both its threads)
     * @param machine the whole machine's CPU time
     * @param otherTicks CPU ticks that user-space processes other than the measurement's own (the relays, the echo
     *     peer, the load client, the bench) used: other people's work on a shared machine
     */
    public record Cpu(long clientCpuMicros, MachineCpu machine, long otherTicks) {
    }

    /**
     * Parses the client's output: {@code stat_start cpu ...}, {@code stat_end cpu ...} and
     * {@code result key=value ...} lines.
     *
     * @throws IllegalArgumentException naming what is missing when the output is not a complete report
     */
    public static ClientRun parse(List<String> lines) {
        MachineCpu start = null;
        MachineCpu end = null;
        Map<String, Long> result = new HashMap<>();
        for (String line : lines) {
            if (line.startsWith("stat_start ")) {
                start = MachineCpu.parse(line.substring("stat_start ".length()));
            } else if (line.startsWith("stat_end ")) {
                end = MachineCpu.parse(line.substring("stat_end ".length()));
            } else if (line.startsWith("result ")) {
                for (String pair : line.substring("result ".length()).trim().split("\\s+")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        result.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
                    }
                }
            }
        }
        if (start == null || end == null) {
            throw new IllegalArgumentException("the load client's report has no stat_start/stat_end line: " + lines);
        }
        for (String key : List.of("window_ns", "sent", "received", "lead_sent", "client_cpu_us", "send_failed",
                "other_ticks")) {
            if (!result.containsKey(key)) {
                throw new IllegalArgumentException("the load client's result line has no " + key + ": " + lines);
            }
        }
        return new ClientRun(result.get("window_ns"),
                new Packets(result.get("sent"), result.get("received"), result.get("lead_sent"),
                        result.get("send_failed")),
                new Cpu(result.get("client_cpu_us"), end.since(start), result.get("other_ticks")));
    }

    /** The window in seconds. */
    public double seconds() {
        return windowNanos / 1e9;
    }

    /** Packets sent per second of the window. */
    public double sentPerSecond() {
        return packets.sent() / seconds();
    }

    /** Window packets that did not come back, in percent of those sent (0 when none was sent). */
    public double lossPercent() {
        return packets.sent() == 0 ? 0
                : 100.0 * Math.max(0, packets.sent() - packets.received()) / packets.sent();
    }

    /** The machine's busy CPU seconds per second of the window: 2.0 is two cores fully busy. */
    public double machineBusyCores() {
        return cpu.machine().busySeconds() / seconds();
    }

    /** Other processes' CPU seconds per second of the window. */
    public double otherCores() {
        return cpu.otherTicks() / MachineCpu.TICKS_PER_SECOND / seconds();
    }

    /**
     * The measurement's own busy CPU seconds per second: the machine's busy time less other processes' (kernel
     * threads and softirq work stay in, wherever the kernel charged them).
     */
    public double busyCores() {
        return machineBusyCores() - otherCores();
    }
}
