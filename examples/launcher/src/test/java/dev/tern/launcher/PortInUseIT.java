package dev.tern.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.testing.FreePorts;
import dev.tern.testing.Processes;
import java.io.Closeable;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar tern-launcher.jar serve} on a port another process holds: one line on standard error naming the
 * listener ({@code udp://127.0.0.1:PORT: address already in use}), no stack trace, exit status 1; the same for the
 * relay's TCP listener, the Matrix endpoints' port and the admin port.
 */
class PortInUseIT {

    private static final Path JAR = Path.of("target", "tern-launcher.jar");
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path dir;

    @Test
    void aTakenUdpRelayPortIsOneLineNamingTheListener() throws Exception {
        int relay = FreePorts.udpAndTcp();
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(LOOPBACK, relay))) {
            assertOneLine(serve(relay, FreePorts.udpAndTcp(), FreePorts.udpAndTcp()),
                    "udp://127.0.0.1:" + relay + ": address already in use");
        }
    }

    @Test
    void aTakenTcpRelayPortIsOneLineNamingTheListener() throws Exception {
        int relay = FreePorts.udpAndTcp();
        try (Closeable taken = new ServerSocket(relay, 1, LOOPBACK)) {
            assertOneLine(serve(relay, FreePorts.udpAndTcp(), FreePorts.udpAndTcp()),
                    "tcp://127.0.0.1:" + relay + ": address already in use");
        }
    }

    @Test
    void takenHttpAndAdminPortsAreOneLineNamingTheListener() throws Exception {
        int http = FreePorts.udpAndTcp();
        try (Closeable taken = new ServerSocket(http, 1, LOOPBACK)) {
            assertOneLine(serve(FreePorts.udpAndTcp(), http, FreePorts.udpAndTcp()),
                    "http://127.0.0.1:" + http + ": address already in use");
        }
        int admin = FreePorts.udpAndTcp();
        try (Closeable taken = new ServerSocket(admin, 1, LOOPBACK)) {
            assertOneLine(serve(FreePorts.udpAndTcp(), FreePorts.udpAndTcp(), admin),
                    "http://127.0.0.1:" + admin + ": address already in use");
        }
    }

    private record Run(int exitCode, String stderr) {
    }

    private Run serve(int relay, int http, int admin) throws Exception {
        assertTrue(Files.isRegularFile(JAR), "run mvn package first: " + JAR.toAbsolutePath() + " is missing");
        Path err = Files.createTempFile(dir, "stderr", ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(List.of(java, "-jar", JAR.toAbsolutePath().toString(), "serve",
                "--relay-port", Integer.toString(relay), "--http-port", Integer.toString(http),
                "--admin-port", Integer.toString(admin), "--drain", "1s"))
                .directory(dir.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile()).start();
        try {
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "still running after 60 s:\n" + Processes.read(err));
            return new Run(process.exitValue(), Processes.read(err));
        } finally {
            Processes.stop(process);
        }
    }

    private static void assertOneLine(Run run, String expected) {
        assertEquals(1, run.exitCode(), run.stderr());
        List<String> naming = run.stderr().lines().filter(l -> l.contains(expected)).toList();
        assertEquals(1, naming.size(), "one line names the listener:\n" + run.stderr());
        assertTrue(naming.get(0).length() < expected.length() + 120, naming.get(0));
        assertTrue(run.stderr().lines().noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception")),
                "no stack trace:\n" + run.stderr());
    }
}
