package dev.tern.bench.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole machine's UDP and receive-path drop counters (what {@code nstat} shows): from {@code /proc/net/snmp}
 * the {@code Udp:} line's {@code InErrors}, {@code RcvbufErrors}, {@code InCsumErrors} and {@code NoPorts}, and
 * from {@code /proc/net/softnet_stat} the packets dropped because a CPU's input backlog was full (its second
 * column, summed over CPUs: where a loopback packet goes when the receiving side cannot keep up). Machine-wide:
 * on a shared machine they count other processes' packets too, so they bound what the kernel dropped of the
 * soak's, they do not attribute it. Immutable; -1 where not readable (not Linux).
 *
 * @param inErrors UDP datagrams not delivered for any reason but a missing port
 * @param rcvbufErrors of those, for a full socket receive buffer
 * @param inCsumErrors of those, for a bad checksum
 * @param noPorts UDP datagrams to a port no socket was bound to
 * @param backlogDrops packets dropped at a full per-CPU input backlog
 */
record MachineUdpCounters(long inErrors, long rcvbufErrors, long inCsumErrors, long noPorts, long backlogDrops) {

    /** The counters now. */
    static MachineUdpCounters now() throws IOException {
        Map<String, Long> udp = lines(Path.of("/proc/net/snmp")).map(MachineUdpCounters::udpCounters).orElse(Map.of());
        long backlog = lines(Path.of("/proc/net/softnet_stat")).map(MachineUdpCounters::parseSoftnet).orElse(-1L);
        return new MachineUdpCounters(udp.getOrDefault("InErrors", -1L), udp.getOrDefault("RcvbufErrors", -1L),
                udp.getOrDefault("InCsumErrors", -1L), udp.getOrDefault("NoPorts", -1L), backlog);
    }

    /** The file's lines; empty where it does not exist (not Linux). */
    private static Optional<List<String>> lines(Path file) throws IOException {
        try {
            return Optional.of(Files.readAllLines(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** The {@code Udp:} counters of {@code /proc/net/snmp} by name: its first such line names the second's columns. */
    static Map<String, Long> udpCounters(List<String> lines) {
        List<String[]> udp = lines.stream().filter(line -> line.startsWith("Udp:"))
                .map(line -> line.substring(4).trim().split("\\s+")).limit(2).toList();
        Map<String, Long> out = new HashMap<>();
        if (udp.size() == 2) {
            for (int i = 0; i < udp.get(0).length && i < udp.get(1).length; i++) {
                out.put(udp.get(0)[i], Long.parseLong(udp.get(1)[i]));
            }
        }
        return out;
    }

    /** The second (hexadecimal) column of {@code /proc/net/softnet_stat}, summed over its lines (CPUs). */
    static long parseSoftnet(List<String> lines) {
        long dropped = 0;
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 2) {
                dropped += Long.parseLong(f[1], 16);
            }
        }
        return dropped;
    }

    /** What each counter grew by since {@code before} (-1 where either is unknown). */
    MachineUdpCounters since(MachineUdpCounters before) {
        return new MachineUdpCounters(delta(inErrors, before.inErrors), delta(rcvbufErrors, before.rcvbufErrors),
                delta(inCsumErrors, before.inCsumErrors), delta(noPorts, before.noPorts),
                delta(backlogDrops, before.backlogDrops));
    }

    private static long delta(long now, long before) {
        return now < 0 || before < 0 ? -1 : now - before;
    }
}
