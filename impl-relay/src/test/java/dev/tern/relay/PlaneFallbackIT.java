package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.testing.Processes;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Started without CAP_BPF and CAP_NET_ADMIN ({@code setpriv} empties the bounding set, so even root has no
 * capabilities), a {@code data_plane: auto} relay falls back to user space, says why in one log line, and relays
 * uclient's channels there.
 */
class PlaneFallbackIT {

    /** The relay child JVM with this data plane, under setpriv with an empty capability bounding set. */
    private static ProcessBuilder withoutCapabilities(String dataPlane) {
        return new ProcessBuilder("setpriv", "--bounding-set=-all", "--inh-caps=-all", "--ambient-caps=-all", "--",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), FallbackRelayMain.class.getName(), dataPlane);
    }

    @Test
    void withoutCapabilitiesAKernelRelayRefusesToStartAndSaysWhy() throws Exception {
        Processes.require("setpriv", "install util-linux");
        Process relay = withoutCapabilities("kernel").redirectErrorStream(true).start();
        try {
            String out = new String(relay.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(relay.waitFor(30, TimeUnit.SECONDS));
            assertTrue(relay.exitValue() != 0, out);
            assertTrue(out.contains("relay.data_plane is kernel but the kernel plane cannot load: no permission"), out);
            assertTrue(!out.contains("port="), "it never listened:\n" + out);
        } finally {
            relay.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void withoutCapabilitiesTheRelayFallsBackToUserSpaceAndSaysWhy() throws Exception {
        Processes.require("setpriv", "install util-linux");
        Processes.require("turnutils_uclient", Uclient.INSTALL);
        Processes.require("turnutils_peer", Uclient.INSTALL);
        Path log = Files.createTempFile("tern-plane-fallback", ".log");
        int echoPort;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            echoPort = probe.getLocalPort();
        }
        Process echo = Processes.start(List.of("turnutils_peer", "-L", "127.0.0.1", "-p",
                Integer.toString(echoPort)));
        Process relay = withoutCapabilities("auto").redirectError(log.toFile()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(relay.getInputStream(), StandardCharsets.UTF_8));
            String port = out.readLine();
            assertNotNull(port, "the relay did not start:\n" + Files.readString(log));
            assertTrue(port.startsWith("port="), port);
            Uclient.awaitEcho(new InetSocketAddress(InetAddress.getLoopbackAddress(), echoPort));
            Uclient.assertNothingLost(Uclient.run(Integer.parseInt(port.substring(5)), echoPort, "-c", "-m", "1", "-n",
                    "100", "-l", "160", "-z", "5"), 100);
            relay.getOutputStream().close();
            String carried = out.readLine();
            assertTrue(relay.waitFor(20, TimeUnit.SECONDS), "the relay stopped");
            assertEquals("plane=user user_packets=200 kernel_packets=0", carried);
            List<String> planeLines = Files.readAllLines(log).stream().filter(l -> l.contains("data plane:")).toList();
            assertEquals(1, planeLines.size(), "one line says which plane runs and why:\n" + Files.readString(log));
            assertTrue(planeLines.get(0).contains("data plane: user space (kernel plane unavailable: "),
                    planeLines.get(0));
        } finally {
            relay.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            Processes.stop(echo);
            Files.deleteIfExists(log);
        }
    }
}
