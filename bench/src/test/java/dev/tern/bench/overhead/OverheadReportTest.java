package dev.tern.bench.overhead;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class OverheadReportTest {

    /**
     * A 1 s window at {@code busyTicks} busy ticks (1/100 s) of its own (the machine's 10 more, other processes'),
     * 20 000 packets sent and echoed, each way.
     */
    private static Measurement run(String target, int round, long busyTicks, long received) {
        ClientRun client = new ClientRun(1_000_000_000L, new ClientRun.Packets(20000, received, 0, 0),
                new ClientRun.Cpu(0, new MachineCpu(busyTicks + 10, 200), 10));
        return new Measurement(target, 20000, round, client, 20000, Double.NaN);
    }

    @Test
    void theOverheadIsTheBusyCpuAboveTheSameRoundsBaselinePerRelayedPacket() {
        List<Measurement> runs = List.of(
                run("direct", 1, 50, 20000), run("coturn", 1, 100, 20000), run("tern-kernel", 1, 60, 20000),
                run("coturn", 2, 110, 20000), run("direct", 2, 60, 20000), run("tern-kernel", 2, 65, 20000));

        OverheadReport report = OverheadReport.of(runs, List.of("coturn", "tern-kernel"));

        List<OverheadReport.TargetSummary> targets = report.rates().get(0).targets();
        assertEquals(List.of("direct", "coturn", "tern-kernel"), targets.stream()
                .map(OverheadReport.TargetSummary::target).toList());
        // round 1: 0.5 busy cores more than the baseline over 40 000 relayed packets/s = 12.5 us
        assertEquals(12.5, targets.get(1).overhead().overheadMicrosPerRound().get(0), 1e-9);
        assertEquals(12.5, targets.get(1).overhead().overheadMicrosPerRound().get(1), 1e-9);
        assertEquals(2.5, targets.get(2).overhead().overheadMicrosPerRound().get(0), 1e-9);
        assertEquals(1.25, targets.get(2).overhead().overheadMicrosPerRound().get(1), 1e-9);
        assertEquals((2.5 + 1.25) / 2 / 12.5, targets.get(2).overhead().ratioOfMeans(), 1e-9);
        assertEquals(2, targets.get(2).overhead().ratioToCoturn().n());
        assertEquals(Math.sqrt(0.2 * 0.1), targets.get(2).overhead().ratioToCoturn().geometricMean(), 1e-9);
        assertNull(targets.get(1).overhead().ratioToCoturn(), "no ratio of coturn to itself");
        assertEquals(0.55, targets.get(0).machine().meanBusyCores(), 1e-9);
    }

    @Test
    void lossIsSummarisedPerTarget() {
        List<Measurement> runs = List.of(run("direct", 1, 50, 20000), run("coturn", 1, 100, 19000),
                run("direct", 2, 50, 20000), run("coturn", 2, 100, 20000));

        OverheadReport.TargetSummary coturn = OverheadReport.of(runs, List.of("coturn")).rates().get(0).targets()
                .get(1);

        assertEquals(2.5, coturn.loss().meanLossPercent(), 1e-9);
        assertEquals(5.0, coturn.loss().maxLossPercent(), 1e-9);
        assertEquals(1, coturn.loss().lossFreeRounds());
    }

    @Test
    void aRoundWithoutItsBaselineIsAnError() {
        List<Measurement> runs = List.of(run("direct", 1, 50, 20000), run("coturn", 2, 100, 20000));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OverheadReport.of(runs, List.of("coturn")));
        assertTrue(e.getMessage().contains("round 2"), e.getMessage());
    }

    @Test
    void theTableHasARowPerTarget() {
        List<Measurement> runs = List.of(run("direct", 1, 50, 20000), run("coturn", 1, 100, 20000),
                run("tern-user", 1, 95, 20000));

        String table = OverheadReport.of(runs, List.of("coturn", "tern-user")).table(1, 100, 160);

        assertTrue(table.contains("| direct | 0.500 | 0.100 | 40000 | (baseline) |"), table);
        assertTrue(table.contains("| coturn | 1.000 | 0.100 | 40000 | 12.50 (12.50) | - |"), table);
        assertTrue(table.contains("| tern-user | 0.950 | 0.100 | 40000 | 11.25 (11.25) | 0.90; 0.90 (n 1) |"), table);
    }
}
