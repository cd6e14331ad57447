package dev.tern.relay.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The kernel's count of UDP datagrams dropped for a bad checksum (IPv4 and IPv6) in the namespace of the reading
 * process: what {@code nstat -az UdpInCsumErrors Udp6InCsumErrors} shows. A wrong checksum is dropped silently;
 * this counter is the only sign.
 */
final class UdpChecksumErrors {

    private UdpChecksumErrors() {
    }

    static long read(Path procNet) throws IOException {
        return udp4(Files.readAllLines(procNet.resolve("snmp"))) + udp6(Files.readAllLines(procNet.resolve("snmp6")));
    }

    static long read() throws IOException {
        return read(Path.of("/proc/net"));
    }

    private static long udp4(List<String> snmp) {
        List<String> udp = snmp.stream().filter(l -> l.startsWith("Udp: ")).toList();
        List<String> names = List.of(udp.get(0).split("\\s+"));
        String[] values = udp.get(1).split("\\s+");
        return Long.parseLong(values[names.indexOf("InCsumErrors")]);
    }

    private static long udp6(List<String> snmp6) {
        return snmp6.stream().filter(l -> l.startsWith("Udp6InCsumErrors"))
                .mapToLong(l -> Long.parseLong(l.split("\\s+")[1])).sum();
    }
}
