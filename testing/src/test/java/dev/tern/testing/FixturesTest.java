package dev.tern.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.testing.browser.PlaywrightScript;
import dev.tern.testing.coturn.CoturnTools;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FixturesTest {

    @Test
    void mutableClockStandsStillUntilAdvanced() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        assertEquals(Instant.parse("2026-01-01T00:00:00Z"), clock.instant());
        clock.advance(Duration.ofSeconds(61));
        assertEquals(Instant.parse("2026-01-01T00:01:01Z"), clock.instant());
        assertEquals(clock, clock.withZone(ZoneId.of("Europe/Paris")));
    }

    @Test
    void relayRangeIsAnAlignedBlockOfTheAskedSizeInTheHighPorts() {
        for (int i = 0; i < 200; i++) {
            PortRange range = FreePorts.relayRange(200);
            assertEquals(199, range.max() - range.min());
            assertEquals(0, range.min() % 200);
            assertTrue(range.min() >= 40_000 && range.max() <= 59_999, range.toString());
        }
        assertThrows(IllegalArgumentException.class, () -> FreePorts.relayRange(0));
    }

    @Test
    void portRangeRefusesAnEmptyRangeAndPrintsAsCoturnWritesIt() {
        assertEquals("40000-40199", new PortRange(40_000, 40_199).toString());
        assertThrows(IllegalArgumentException.class, () -> new PortRange(5, 4));
        assertThrows(IllegalArgumentException.class, () -> new PortRange(0, 4));
    }

    @Test
    void freePortCanBeBoundForUdpAndTcp() throws Exception {
        int port = FreePorts.udpAndTcp();
        try (DatagramSocket udp = new DatagramSocket(port, FreePorts.LOOPBACK);
                ServerSocket tcp = new ServerSocket(port, 1, FreePorts.LOOPBACK)) {
            assertEquals(port, udp.getLocalPort());
            assertEquals(port, tcp.getLocalPort());
        }
    }

    @Test
    void aMissingBinaryFailsSayingHowToInstallCoturn() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> CoturnTools.require("turnutils_no_such_tool"));
        assertTrue(e.getMessage().contains("apt-get install -y coturn"), e.getMessage());
    }

    @Test
    void aMissingScriptFailsNamingIt(@TempDir Path dir) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> PlaywrightScript.in(dir, "no-such-script.js"));
        assertTrue(e.getMessage().contains("no-such-script.js is missing"), e.getMessage());
    }

    @Test
    void pollReturnsOnceTheConditionHoldsAndFailsNamingWhatWasAwaited() throws Exception {
        long start = System.nanoTime();
        Poll.until("the third call", Duration.ofSeconds(5), new java.util.function.BooleanSupplier() {
            private int calls;

            @Override
            public boolean getAsBoolean() {
                return ++calls == 3;
            }
        });
        AssertionError e = assertThrows(AssertionError.class,
                () -> Poll.until("a condition that never holds", Duration.ofMillis(100), () -> false));
        assertEquals("not within PT0.1S: a condition that never holds", e.getMessage());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos(), "bounded");
    }

    @Test
    void runCapturesOutputAndExitCodeAndKillsWhatOverrunsItsLimit(@TempDir Path dir) throws Exception {
        Processes.Finished echoed = Processes.run(java.util.List.of("sh", "-c", "echo out; echo err >&2; exit 3"), dir,
                Duration.ofSeconds(30));
        assertEquals(3, echoed.exitCode());
        assertTrue(echoed.output().contains("out") && echoed.output().contains("err"), echoed.output());
        Processes.Finished hung = Processes.runAtMost(java.util.List.of("sleep", "30"), dir, Duration.ofMillis(200));
        assertTrue(hung.timedOut());
        assertEquals(-1, hung.exitCode());
        AssertionError e = assertThrows(AssertionError.class,
                () -> Processes.run(java.util.List.of("sleep", "30"), dir, Duration.ofMillis(200)));
        assertTrue(e.getMessage().startsWith("sleep 30 did not finish within PT0.2S"), e.getMessage());
    }

    @Test
    void requireNamesTheMissingProgramAndHowToInstallIt() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Processes.require("tern-no-such-program", "apt-get install -y nothing"));
        assertEquals("tern-no-such-program is not on PATH: apt-get install -y nothing", e.getMessage());
    }

    @Test
    void awaitOutputReturnsAtTheMarkerAndFailsWhenTheProcessEndsFirst(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("server.log");
        Process server = Processes.start(
                java.util.List.of("sh", "-c", "echo starting; sleep 0.2; echo Ready.; sleep 30"), log);
        try {
            assertTrue(Processes.awaitOutput(server, log, "Ready.", Duration.ofSeconds(20)).contains("starting"));
        } finally {
            Processes.stop(server);
        }
        Path quitLog = dir.resolve("quit.log");
        Process quits = Processes.start(java.util.List.of("sh", "-c", "echo bad config; exit 2"), quitLog);
        AssertionError e = assertThrows(AssertionError.class,
                () -> Processes.awaitOutput(quits, quitLog, "Ready.", Duration.ofSeconds(20)));
        assertTrue(e.getMessage().contains("exit 2") && e.getMessage().contains("bad config"), e.getMessage());
    }
}
