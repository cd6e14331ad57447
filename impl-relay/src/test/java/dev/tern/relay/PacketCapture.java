package dev.tern.relay;

import dev.tern.testing.Processes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The first UDP datagram sent to a port through a network interface, as tcpdump sees it on the wire: its
 * IP header and all (tcpdump needs root, which the relay's tests have here and in CI). Close it to stop
 * tcpdump and delete its output.
 */
public final class PacketCapture implements AutoCloseable {

    private final Process tcpdump;
    private final Path out;
    private final Path err;

    private PacketCapture(Process tcpdump, Path out, Path err) {
        this.tcpdump = tcpdump;
        this.out = out;
        this.err = err;
    }

    /** Starts capturing the first datagram to UDP {@code port} on {@code link}; returns once tcpdump listens. */
    public static PacketCapture firstUdpDatagramTo(String link, int port) throws IOException, InterruptedException {
        Processes.require("tcpdump", "install tcpdump (apt-get install -y tcpdump)");
        Path out = Files.createTempFile("tern-capture", ".txt");
        Path err = Files.createTempFile("tern-capture", ".err");
        Process p = new ProcessBuilder("tcpdump", "-i", link, "-n", "-U", "-l", "-c", "1", "-x", "udp and dst port "
                + port).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        PacketCapture capture = new PacketCapture(p, out, err);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.readString(err, StandardCharsets.UTF_8).contains("listening on")) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                String why = Files.readString(err, StandardCharsets.UTF_8);
                capture.close();
                throw new IllegalStateException("tcpdump did not start listening: " + why);
            }
            Thread.sleep(20);
        }
        return capture;
    }

    /** Whether the datagram was captured within {@code timeout}. */
    public boolean captured(Duration timeout) throws InterruptedException {
        return tcpdump.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The captured packet from its IP header on, once {@link #captured} said so. */
    public byte[] packet() throws IOException {
        if (tcpdump.isAlive()) {
            throw new IllegalStateException("no datagram captured yet: " + Files.readString(err, StandardCharsets.UTF_8));
        }
        StringBuilder hex = new StringBuilder();
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            String t = line.strip();
            if (t.startsWith("0x")) {
                List<String> groups = new ArrayList<>(List.of(t.substring(t.indexOf(':') + 1).strip().split("\\s+")));
                groups.forEach(hex::append);
            }
        }
        return HexFormat.of().parseHex(hex);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        Processes.stop(tcpdump);
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
    }
}
