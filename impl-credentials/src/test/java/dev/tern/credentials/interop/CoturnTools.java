package dev.tern.credentials.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Finds coturn's binaries and free loopback ports for the interop tests. */
public final class CoturnTools {

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private CoturnTools() {
    }

    /** The binary on PATH, or a failed test saying how to install coturn. Never a skip. */
    public static Path require(String binary) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, binary);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return fail(binary + " is not on PATH; install coturn (apt-get install -y coturn) to run the interop tests");
    }

    /** A port free for both UDP and TCP on loopback right now. */
    public static int freeUdpAndTcpPort() throws IOException {
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

    /** A random block of {@code size} relay ports in 40000-59999 (coturn retries ports that are taken). */
    public static int[] randomPortRange(int size) {
        int start = 40_000 + ThreadLocalRandom.current().nextInt((20_000 - size) / size) * size;
        return new int[] {start, start + size - 1};
    }

    /** Starts a process with its output (stdout and stderr) going to {@code log}. */
    public static Process start(List<String> command, Path log) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Stops a process and its children, forcibly after two seconds; never hangs. */
    public static void stop(Process process) {
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(2, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(2, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
