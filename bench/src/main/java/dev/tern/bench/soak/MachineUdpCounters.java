package dev.tern.bench.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

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
        long[] udp = {-1, -1, -1, -1};
        long backlog = -1;
        try {
            udp = parseSnmp(Files.readAllLines(Path.of("/proc/net/snmp")));
        } catch (NoSuchFileException e) {
            // not Linux
        }
        try {
            backlog = parseSoftnet(Files.readAllLines(Path.of("/proc/net/softnet_stat")));
        } catch (NoSuchFileException e) {
            // not Linux
        }
        return new MachineUdpCounters(udp[0], udp[1], udp[2], udp[3], backlog);
    }

    /** {InErrors, RcvbufErrors, InCsumErrors, NoPorts} of the {@code Udp:} header and value lines. */
    static long[] parseSnmp(List<String> lines) {
        long[] out = {-1, -1, -1, -1};
        String[] names = null;
        for (String line : lines) {
            if (!line.startsWith("Udp:")) {
                continue;
            }
            String[] f = line.substring(4).trim().split("\\s+");
            if (names == null) {
                names = f;
                continue;
            }
            for (int i = 0; i < names.length && i < f.length; i++) {
                int at = List.of("InErrors", "RcvbufErrors", "InCsumErrors", "NoPorts").indexOf(names[i]);
                if (at >= 0) {
                    out[at] = Long.parseLong(f[i]);
                }
            }
            break;
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
