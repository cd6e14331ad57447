package dev.tern.launcher;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Real processes for the launcher's ITs: coturn's tools, free loopback ports, bounded waits. */
final class Tools {

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Pattern LOST = Pattern.compile("Total lost packets (\\d+)");
    private static final Pattern RECEIVED = Pattern.compile("tot_recv_msgs=(\\d+)");

    private Tools() {
    }

    /** The binary on PATH, or a failed test saying how to install it. Never a skip. */
    static Path require(String binary) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, binary);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return fail(binary + " is not on PATH; install coturn (apt-get install -y coturn) to run the launcher ITs");
    }

    /** A port free for both UDP and TCP on loopback right now. */
    static int freePort() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (DatagramSocket udp = new DatagramSocket(0, LOOPBACK)) {
                int port = udp.getLocalPort();
                try (ServerSocket tcp = new ServerSocket(port, 1, LOOPBACK)) {
                    return port;
                } catch (IOException taken) {
                    // try another
                }
            }
        }
        throw new IOException("no port free for both UDP and TCP on loopback after 50 attempts");
    }

    /** Starts a process with stdout and stderr going to {@code log}. */
    static Process start(List<String> command, Path log) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Stops a process and its children, forcibly after five seconds; never hangs. */
    static void stop(Process process) {
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** Starts {@code turnutils_peer} (a UDP echo) on loopback and waits until it echoes. */
    static Process echoPeer(int port, Path log) throws Exception {
        Process peer = start(List.of(require("turnutils_peer").toString(), "-L", "127.0.0.1", "-p",
                Integer.toString(port)), log);
        try (DatagramSocket socket = new DatagramSocket(0, LOOPBACK)) {
            socket.setSoTimeout(200);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                socket.send(new DatagramPacket(new byte[] {1, 2, 3, 4}, 4, LOOPBACK, port));
                try {
                    socket.receive(new DatagramPacket(new byte[64], 64));
                    return peer;
                } catch (SocketTimeoutException notYet) {
                    // retry until the deadline
                }
            }
        }
        stop(peer);
        return fail("turnutils_peer did not echo on port " + port + " within 10 s");
    }

    /** Waits until a STUN Binding request to the port gets any answer. */
    static void awaitStun(int port, Process server, Path log) throws Exception {
        byte[] request = {0, 1, 0, 0, 0x21, 0x12, (byte) 0xA4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        try (DatagramSocket socket = new DatagramSocket(0, LOOPBACK)) {
            socket.setSoTimeout(200);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (System.nanoTime() < deadline) {
                if (!server.isAlive()) {
                    fail("the server exited with " + server.exitValue() + ":\n" + read(log));
                }
                socket.send(new DatagramPacket(request, request.length, LOOPBACK, port));
                try {
                    socket.receive(new DatagramPacket(new byte[1500], 1500));
                    return;
                } catch (SocketTimeoutException notYet) {
                    // retry until the deadline
                }
            }
        }
        fail("nothing answered STUN on port " + port + " within 15 s:\n" + read(log));
    }

    /**
     * Relays through a TURN server with {@code turnutils_uclient} (2 clients x 20 messages to the echo
     * peer) and returns its output; fails when it does not finish within 60 s.
     */
    static Relayed uclient(int serverPort, String username, String password, int peerPort, Path dir) throws Exception {
        List<String> command = new ArrayList<>(List.of(require("turnutils_uclient").toString(), "-u", username, "-w",
                password, "-e", "127.0.0.1", "-r", Integer.toString(peerPort), "-p", Integer.toString(serverPort),
                "-n", "20", "-m", "2", "-l", "120", "-z", "5", "-c", "-X", "127.0.0.1"));
        Path log = Files.createTempFile(dir, "uclient-", ".log");
        Process process = start(command, log);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                fail("turnutils_uclient did not finish within 60 s:\n" + read(log));
            }
            return new Relayed(process.exitValue(), read(log));
        } finally {
            stop(process);
        }
    }

    static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** What {@code turnutils_uclient} reported. */
    record Relayed(int exitCode, String output) {
        OptionalLong lost() {
            return last(LOST);
        }

        OptionalLong received() {
            return last(RECEIVED);
        }

        private OptionalLong last(Pattern pattern) {
            Matcher m = pattern.matcher(output);
            OptionalLong found = OptionalLong.empty();
            while (m.find()) {
                found = OptionalLong.of(Long.parseLong(m.group(1)));
            }
            return found;
        }
    }
}
