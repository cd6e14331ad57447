package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.testing.Processes;
import dev.tern.testing.coturn.TurnutilsPeer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * coturn's {@code turnutils_uclient} against the fixture's relay, with TURN REST credentials for its secret; the
 * summary is read with the test kit's {@link dev.tern.testing.coturn.Uclient.Run}.
 */
final class Uclient {

    static final String INSTALL = "install coturn's tools: apt-get install -y coturn";

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
    static Processes.Finished run(int port, int peerPort, String... flags) throws Exception {
        return run(port, "127.0.0.1", peerPort, flags);
    }

    /** Runs uclient against the echo peer on {@code peerHost} to completion (failing the test after 90 s). */
    static Processes.Finished run(int port, String peerHost, int peerPort, String... flags) throws Exception {
        return Processes.run(command(port, peerHost, peerPort, flags), null, Duration.ofSeconds(90));
    }

    /** {@code flags} with {@code more} in front. */
    static String[] with(String[] flags, String... more) {
        List<String> all = new ArrayList<>(List.of(more));
        all.addAll(List.of(flags));
        return all.toArray(String[]::new);
    }

    /** Asserts uclient sent {@code expected} messages, got all back and exited 0. */
    static void assertNothingLost(Processes.Finished result, long expected) {
        var run = new dev.tern.testing.coturn.Uclient.Run(result.exitCode(), result.output());
        assertTrue(run.lost().isPresent() && run.sent().isPresent() && run.received().isPresent(),
                "no totals in uclient output:\n" + result.output());
        assertEquals(0, run.lost().getAsLong(), result.output());
        assertEquals(expected, run.sent().getAsLong(), result.output());
        assertEquals(run.sent().getAsLong(), run.received().getAsLong(), result.output());
        assertEquals(0, result.exitCode(), result.output());
    }

    /** Waits until the {@code turnutils_peer} on {@code echo} echoes (it needs a moment to start). */
    static void awaitEcho(InetSocketAddress echo) throws Exception {
        TurnutilsPeer.awaitEcho(new InetSocketAddress(echo.getAddress(), 0), echo, Duration.ofSeconds(10));
    }
}
