package dev.tern.bench.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class SoakChecksTest {

    private static final Footprint START = new Footprint(20L << 20, 31, Map.of("tcp LISTEN", 4), 35, Map.of("tern-relay-#-#", 2), 0, 0, 0, 0, 50);

    private static final UdpSocketDrops DROPS = new UdpSocketDrops(0, 0, 0, 0, 0, 0);
    private static final MachineUdpCounters MACHINE = new MachineUdpCounters(0, 0, 0, 0, 0);
    private static final ControlResult CONTROL = new ControlResult(100, 100, 0, 0);

    private static List<String> failedChecks(UnaryOperator<Footprint> change) {
        return SoakRun.checks(START, change.apply(START)).stream().filter(c -> !c.passed()).map(Check::name).toList();
    }

    private static Footprint with(Footprint f, long heap, int fds, int threads, long allocations, long buckets,
            int leaks, long quotaDrops) {
        return new Footprint(heap, fds, f.fileDescriptorsByKind(), threads, f.threadsByName(), allocations, buckets, leaks, quotaDrops,
                f.allocationsCreated() + 1000);
    }

    @Test
    void passesWhenEveryMeasureIsBackWhereItStarted() {
        assertEquals(List.of(), failedChecks(f -> with(f, f.heapUsedAfterGc() + (8L << 20), 31, 35, 0, 0, 0, 0)));
        assertEquals(List.of(), failedChecks(f -> with(f, f.heapUsedAfterGc() - 4096, 30, 34, 0, 0, 0, 0)));
    }

    @Test
    void failsEachMeasureThatDidNotComeBack() {
        long heap = START.heapUsedAfterGc();
        assertEquals(List.of("heap after full GC (bytes)"),
                failedChecks(f -> with(f, heap + (8L << 20) + 1, 31, 35, 0, 0, 0, 0)));
        assertEquals(List.of("file descriptors"), failedChecks(f -> with(f, heap, 32, 35, 0, 0, 0, 0)));
        assertEquals(List.of("threads"), failedChecks(f -> with(f, heap, 31, 36, 0, 0, 0, 0)));
        assertEquals(List.of("allocations"), failedChecks(f -> with(f, heap, 31, 35, 1, 0, 0, 0)));
        assertEquals(List.of("rate-limit token buckets"), failedChecks(f -> with(f, heap, 31, 35, 0, 2, 0, 0)));
        assertEquals(List.of("leak reports (LEAK:)"), failedChecks(f -> with(f, heap, 31, 35, 0, 0, 1, 0)));
        assertEquals(List.of("packets over the quota"), failedChecks(f -> with(f, heap, 31, 35, 0, 0, 0, 3)));
    }

    @Test
    void aMetricTheLauncherDoesNotPublishFailsTheCheckInsteadOfPassingUnseen() {
        // the probe reads a missing metric as -1
        assertEquals(List.of("rate-limit token buckets"),
                SoakRun.checks(with(START, START.heapUsedAfterGc(), 31, 35, 0, -1, 0, 0),
                        with(START, START.heapUsedAfterGc(), 31, 35, 0, -1, 0, 0))
                        .stream().filter(c -> !c.passed()).map(Check::name).toList());
    }

    @Test
    void aReportFailsOnAnyLostPacketEvenWhenEveryMeasureCameBack() {
        Footprint end = with(START, START.heapUsedAfterGc(), 31, 35, 0, 0, 0, 0);
        FlowResult intact = new FlowResult(0, "udp", 50, 160, 100, 100, 0, 0, 0, List.of(), -1, -1, -1, -1, -1, -1, "");
        FlowResult lateOnly = new FlowResult(1, "tcp", 50, 160, 100, 99, 1, 0, 0, List.of(), -1, -1, -1, -1, -1, -1, "");
        FlowResult lost = new FlowResult(2, "tls", 50, 160, 100, 99, 0, 0, 0, List.of(17L), -1, -1, -1, -1, -1, -1, "");
        FlowResult stopped = new FlowResult(3, "udp", 50, 160, 100, 100, 0, 0, 0, List.of(), -1, -1, -1, -1, -1, -1, "TurnException: no answer");
        List<Check> checks = SoakRun.checks(START, end);
        assertTrue(new SoakReport(Duration.ofMinutes(1), "data plane: user space", START, end, checks, List.of(intact, lateOnly), DROPS, MACHINE, CONTROL, List.of())
                .passed());
        assertFalse(new SoakReport(Duration.ofMinutes(1), "data plane: user space", START, end, checks, List.of(intact, lost), DROPS, MACHINE, CONTROL, List.of()).passed());
        assertFalse(new SoakReport(Duration.ofMinutes(1), "data plane: user space", START, end, checks, List.of(stopped), DROPS, MACHINE, CONTROL, List.of()).passed());
        String text = new SoakReport(Duration.ofMinutes(1), "data plane: user space", START, end, checks, List.of(lost), DROPS, MACHINE, CONTROL, List.of()).text();
        assertTrue(text.contains("FAILED") && text.contains("lost 1") && text.contains("first lost #[17]"), text);
    }

    @Test
    void aLossTheClientsOwnSocketDroppedIsToldApartFromTheRelays() {
        Footprint end = with(START, START.heapUsedAfterGc(), 31, 35, 0, 0, 0, 0);
        List<Check> checks = SoakRun.checks(START, end);
        // 100 sent, the relay forwarded all 100 both ways, 2 dropped at the client's own full socket.
        FlowResult clientDropped = new FlowResult(0, "udp", 50, 160, 100, 98, 0, 0, 0, List.of(3L), 100, 100, 100, 100, 0,
                2, "");
        assertEquals(0, clientDropped.lostByRelay());
        assertEquals(2, clientDropped.lostRelayToClient());
        assertEquals(2, clientDropped.lostByClient());
        assertEquals(0, clientDropped.lostNotByClient());
        assertTrue(new SoakReport(Duration.ofMinutes(1), "data plane: kernel", START, end, checks,
                List.of(clientDropped), DROPS, MACHINE, CONTROL, List.of()).passed());
        // the relay took in 100 from the client, forwarded 99: its loss, whatever the client's socket says
        FlowResult relayDropped = new FlowResult(1, "udp", 50, 160, 100, 99, 0, 0, 0, List.of(3L), 99, 99, 99, 99, 0, 0,
                "");
        assertEquals(1, relayDropped.lostClientToRelay());
        assertEquals(1, relayDropped.lostNotByClient());
        SoakReport failed = new SoakReport(Duration.ofMinutes(1), "data plane: kernel", START, end, checks,
                List.of(relayDropped), DROPS, MACHINE, CONTROL, List.of());
        assertFalse(failed.passed());
        assertTrue(failed.text().contains("lost client->relay 1"), failed.text());
        assertTrue(failed.json().contains("\"lostClientToRelay\" : 1"), failed.json());
    }

    @Test
    void refusesFlowsThatWouldNotStayWellUnderTheQuota() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SoakSettings.builder()
                        .duration(Duration.ofMinutes(1))
                        .launcherJar(java.nio.file.Path.of("x.jar"))
                        .workDir(java.nio.file.Path.of("."))
                        .warmUp(Duration.ofSeconds(1))
                        .settleTimeout(Duration.ofSeconds(1))
                        .flows(1)
                        .flowRate(400)
                        .flowSize(1200)
                        .pause(Duration.ofMillis(1))
                        .users(1)
                        .skipped(java.util.Set.of())
                        .allocationLifetime(Duration.ofSeconds(30))
                        .dataPlane("auto")
                        .build());
        assertTrue(e.getMessage().contains("--flow-rate x --flow-size"), e.getMessage());
    }
}
