package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** coturn's {@code turnutils_uclient} with TURN REST credentials for the fixture's secret, and its totals. */
final class Uclient {

    static final String INSTALL = "install coturn's tools: apt-get install -y coturn";
    private static final Pattern LOST = Pattern.compile("Total lost packets (\\d+) ");
    private static final Pattern TOTALS = Pattern.compile("start_mclient: tot_send_msgs=(\\d+), tot_recv_msgs=(\\d+)");

    private Uclient() {
    }

    /** The command relaying to the echo peer on {@code peerPort} through the relay on {@code port}. */
    static List<String> command(int port, int peerPort, String... flags) {
        return command(port, "127.0.0.1", peerPort, flags);
    }

    /** The command relaying to the echo peer on {@code peerHost} port {@code peerPort}. */
    static List<String> command(int port, String peerHost, int peerPort, String... flags) {
        List<String> command = new ArrayList<>(List.of("turnutils_uclient"));
        command.addAll(List.of(flags));
        command.addAll(List.of("-W", RelayFixture.SECRET, "-u", "alice", "-e", peerHost, "-r",
                Integer.toString(peerPort), "-p", Integer.toString(port), "127.0.0.1"));
        return command;
    }

    /** Runs uclient to completion (failing the test after 90 s). */
    static ExternalProcess.Result run(int port, int peerPort, String... flags) throws Exception {
        return run(port, "127.0.0.1", peerPort, flags);
    }

    /** Runs uclient against the echo peer on {@code peerHost} to completion (failing the test after 90 s). */
    static ExternalProcess.Result run(int port, String peerHost, int peerPort, String... flags) throws Exception {
        return ExternalProcess.run(command(port, peerHost, peerPort, flags), null, Duration.ofSeconds(90));
    }

    /** {@code flags} with {@code more} in front. */
    static String[] with(String[] flags, String... more) {
        List<String> all = new ArrayList<>(List.of(more));
        all.addAll(List.of(flags));
        return all.toArray(String[]::new);
    }

    /** Asserts uclient sent {@code expected} messages, got all back and exited 0. */
    static void assertNothingLost(ExternalProcess.Result result, long expected) {
        Matcher lost = LOST.matcher(result.output());
        Matcher totals = TOTALS.matcher(result.output());
        assertTrue(lost.find() && totals.find(), "no totals in uclient output:\n" + result.output());
        assertEquals(0, Long.parseLong(lost.group(1)), result.output());
        assertEquals(expected, Long.parseLong(totals.group(1)), result.output());
        assertEquals(totals.group(1), totals.group(2), result.output());
        assertEquals(0, result.exitCode(), result.output());
    }

    /** Waits until the {@code turnutils_peer} on {@code echo} echoes (it needs a moment to start). */
    static void awaitEcho(InetSocketAddress echo) throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, echo.getAddress())) {
            s.setSoTimeout(200);
            for (int i = 0; i < 50; i++) {
                s.send(new DatagramPacket(new byte[] {1, 2, 3}, 3, echo));
                try {
                    s.receive(new DatagramPacket(new byte[16], 16));
                    return;
                } catch (SocketTimeoutException notYet) {
                    // turnutils_peer is still starting
                }
            }
        }
        fail("turnutils_peer did not start echoing on " + echo);
    }
}
