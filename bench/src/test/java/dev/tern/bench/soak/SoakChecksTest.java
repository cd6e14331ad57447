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

    private static final Footprint START = new Footprint(
            new Footprint.Resources(20L << 20, 31, Map.of("tcp LISTEN", 4), 35, Map.of("tern-relay-#-#", 2)),
            new Footprint.Live(0, 0), 0, new Footprint.Totals(0, 50));

    private static final SoakReport.Drops DROPS = new SoakReport.Drops(new UdpSocketDrops(0, 0, 0, 0, 0, 0),
            new MachineUdpCounters(0, 0, 0, 0, 0), new ControlResult(100, 100, 0, 0));

    /** A 50/s flow of 160-byte packets whose legs are not known. */
    private static FlowResult flow(int id, TurnTransport transport, FlowResult.ClientCounts client, String error) {
        return new FlowResult(new FlowPlan(id, transport, 50, 160), client, FlowResult.Legs.UNKNOWN,
                FlowResult.SocketDrops.UNKNOWN, error);
    }

    private static SoakReport report(String dataPlane, Footprint end, List<Check> checks, List<FlowResult> flows) {
        return new SoakReport(Duration.ofMinutes(1), dataPlane, new SoakReport.Footprints(START, end, checks), flows,
                DROPS, List.of());
    }

    private static List<String> failedChecks(UnaryOperator<Footprint> change) {
        return SoakRun.checks(START, change.apply(START)).stream().filter(c -> !c.passed()).map(Check::name).toList();
    }

    private static Footprint with(Footprint f, long heap, int fds, int threads, long allocations, long buckets,
            int leaks, long quotaDrops) {
        return new Footprint(new Footprint.Resources(heap, fds, f.process().fileDescriptorsByKind(), threads,
                f.process().threadsByName()), new Footprint.Live(allocations, buckets), leaks,
                new Footprint.Totals(quotaDrops, f.totals().allocationsCreated() + 1000));
    }

    @Test
    void passesWhenEveryMeasureIsBackWhereItStarted() {
        assertEquals(List.of(),
                failedChecks(f -> with(f, f.process().heapUsedAfterGc() + (8L << 20), 31, 35, 0, 0, 0, 0)));
        assertEquals(List.of(), failedChecks(f -> with(f, f.process().heapUsedAfterGc() - 4096, 30, 34, 0, 0, 0, 0)));
    }

    @Test
    void failsEachMeasureThatDidNotComeBack() {
        long heap = START.process().heapUsedAfterGc();
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
                SoakRun.checks(with(START, START.process().heapUsedAfterGc(), 31, 35, 0, -1, 0, 0),
                        with(START, START.process().heapUsedAfterGc(), 31, 35, 0, -1, 0, 0))
                        .stream().filter(c -> !c.passed()).map(Check::name).toList());
    }

    @Test
    void aReportFailsOnAnyLostPacketEvenWhenEveryMeasureCameBack() {
        Footprint end = with(START, START.process().heapUsedAfterGc(), 31, 35, 0, 0, 0, 0);
        FlowResult intact = flow(0, TurnTransport.UDP, new FlowResult.ClientCounts(100, 100, 0, 0, 0, List.of()), "");
        FlowResult lateOnly = flow(1, TurnTransport.TCP, new FlowResult.ClientCounts(100, 99, 1, 0, 0, List.of()), "");
        FlowResult lost = flow(2, TurnTransport.TLS, new FlowResult.ClientCounts(100, 99, 0, 0, 0, List.of(17L)), "");
        FlowResult stopped = flow(3, TurnTransport.UDP, new FlowResult.ClientCounts(100, 100, 0, 0, 0, List.of()),
                "TurnException: no answer");
        List<Check> checks = SoakRun.checks(START, end);
        assertTrue(report("data plane: user space", end, checks, List.of(intact, lateOnly))
                .passed());
        assertFalse(report("data plane: user space", end, checks, List.of(intact, lost)).passed());
        assertFalse(report("data plane: user space", end, checks, List.of(stopped)).passed());
        String text = report("data plane: user space", end, checks, List.of(lost)).text();
        assertTrue(text.contains("FAILED") && text.contains("lost 1") && text.contains("first lost #[17]"), text);
    }

    @Test
    void aLossTheClientsOwnSocketDroppedIsToldApartFromTheRelays() {
        Footprint end = with(START, START.process().heapUsedAfterGc(), 31, 35, 0, 0, 0, 0);
        List<Check> checks = SoakRun.checks(START, end);
        // 100 sent, the relay forwarded all 100 both ways, 2 dropped at the client's own full socket.
        FlowResult clientDropped = flow(0, TurnTransport.UDP,
                new FlowResult.ClientCounts(100, 98, 0, 0, 0, List.of(3L)), "").withLegs(new FlowResult.Legs(100, 100, 100, 100), new FlowResult.SocketDrops(0, 2));
        assertEquals(0, clientDropped.lostByRelay());
        assertEquals(2, clientDropped.lostRelayToClient());
        assertEquals(2, clientDropped.lostByClient());
        assertEquals(0, clientDropped.lostNotByClient());
        assertTrue(report("data plane: kernel", end, checks, List.of(clientDropped)).passed());
        // the relay took in 100 from the client, forwarded 99: its loss, whatever the client's socket says
        FlowResult relayDropped = flow(1, TurnTransport.UDP, new FlowResult.ClientCounts(100, 99, 0, 0, 0, List.of(3L)),
                "").withLegs(new FlowResult.Legs(99, 99, 99, 99), new FlowResult.SocketDrops(0, 0));
        assertEquals(1, relayDropped.lostClientToRelay());
        assertEquals(1, relayDropped.lostNotByClient());
        SoakReport failed = report("data plane: kernel", end, checks, List.of(relayDropped));
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
