package dev.tern.bench.overhead;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientRunTest {

    private static final List<String> REPORT = List.of(
            "stat_start cpu  1000 0 500 9000 0 0 100 0 0 0",
            "stat_end cpu  1300 0 700 9400 0 0 200 0 0 0",
            "result window_ns=2000000000 sent=40000 received=39600 received_in_window=39580 lead_sent=20000 "
                    + "client_cpu_us=80000 send_failed=0 other_ticks=100");

    @Test
    void parsesTheLoadClientsReport() {
        ClientRun run = ClientRun.parse(REPORT);

        assertEquals(40000, run.packets().sent());
        assertEquals(39600, run.packets().received());
        assertEquals(20000, run.packets().leadSent());
        assertEquals(80000, run.cpu().clientCpuMicros());
        assertEquals(600, run.cpu().machine().busyTicks());
        assertEquals(2.0, run.seconds(), 1e-9);
        assertEquals(20000, run.sentPerSecond(), 1e-9);
        assertEquals(1.0, run.lossPercent(), 1e-9);
        assertEquals(3.0, run.machineBusyCores(), 1e-9);
        assertEquals(0.5, run.otherCores(), 1e-9);
        assertEquals(2.5, run.busyCores(), 1e-9, "the machine's busy time less other processes'");
    }

    @Test
    void anIncompleteReportIsRefusedSayingWhatIsMissing() {
        IllegalArgumentException noStat = assertThrows(IllegalArgumentException.class,
                () -> ClientRun.parse(REPORT.subList(1, 3)));
        assertTrue(noStat.getMessage().contains("stat_start"), noStat.getMessage());
        IllegalArgumentException noKey = assertThrows(IllegalArgumentException.class, () -> ClientRun.parse(List.of(
                REPORT.get(0), REPORT.get(1),
                "result window_ns=1 sent=1 received=1 lead_sent=0 client_cpu_us=1 send_failed=0")));
        assertTrue(noKey.getMessage().contains("other_ticks"), noKey.getMessage());
    }

    @Test
    void moreEchoesThanPacketsIsNoNegativeLoss() {
        ClientRun run = new ClientRun(1_000_000_000L, new ClientRun.Packets(10, 11, 0, 0),
                new ClientRun.Cpu(0, new MachineCpu(0, 0), 0));

        assertEquals(0, run.lossPercent());
    }
}
