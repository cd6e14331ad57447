package dev.tern.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Datagrams the kernel dropped at this machine's UDP sockets, per local port, as {@code /proc/net/udp} and
 * {@code /proc/net/udp6} count them (the last column, {@code drops}: mostly a full receive buffer). A load run
 * takes a snapshot before and after its measured window to say whose sockets lost packets: the server's (it did
 * not read fast enough) or the load generator's own (then the generator, not the server, was the limit).
 *
 * <p>Immutable and thread-safe. Counts of sockets bound to one port (SO_REUSEPORT, or IPv4 and IPv6) are added
 * up. Linux only: elsewhere {@link #now()} gives an empty snapshot, which knows no port.
 */
public final class UdpDrops {

    private static final List<Path> TABLES = List.of(Path.of("/proc/net/udp"), Path.of("/proc/net/udp6"));

    private final Map<Integer, Long> byPort;

    private UdpDrops(Map<Integer, Long> byPort) {
        this.byPort = Map.copyOf(byPort);
    }

    /** The counts of the sockets open now. */
    public static UdpDrops now() throws IOException {
        Map<Integer, Long> byPort = new HashMap<>();
        for (Path table : TABLES) {
            try {
                parse(Files.readAllLines(table), byPort);
            } catch (NoSuchFileException e) {
                // not Linux, or no IPv6: nothing to count there
            }
        }
        return new UdpDrops(byPort);
    }

    /** A snapshot of the lines of {@code /proc/net/udp}-format tables (header lines included). */
    static UdpDrops parse(List<String> lines) {
        Map<Integer, Long> byPort = new HashMap<>();
        parse(lines, byPort);
        return new UdpDrops(byPort);
    }

    private static void parse(List<String> lines, Map<Integer, Long> byPort) {
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ref pointer drops
            if (f.length < 13 || !f[0].endsWith(":") || f[1].indexOf(':') < 0) {
                continue; // the header, or a line of another shape
            }
            try {
                int port = Integer.parseInt(f[1].substring(f[1].lastIndexOf(':') + 1), 16);
                byPort.merge(port, Long.parseLong(f[f.length - 1]), Long::sum);
            } catch (NumberFormatException e) {
                // not a socket line
            }
        }
    }

    /** Whether a socket bound to {@code port} was open at the snapshot. */
    public boolean knows(int port) {
        return byPort.containsKey(port);
    }

    /**
     * Datagrams dropped at sockets on {@code ports} since {@code before}: -1 when none of the ports has a socket
     * in this snapshot (the sockets are on another machine, or this is not Linux).
     */
    public long since(UdpDrops before, Set<Integer> ports) {
        long dropped = 0;
        boolean known = false;
        for (int port : ports) {
            Long now = byPort.get(port);
            if (now != null) {
                known = true;
                dropped += Math.max(0, now - before.byPort.getOrDefault(port, 0L));
            }
        }
        return known ? dropped : -1;
    }
}
