package dev.tern.bench.overhead;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MachineCpuTest {

    @Test
    void busyIsEverythingButIdleAndIowait() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        MachineCpu cpu = MachineCpu.parse("cpu  100 2 30 500 7 1 20 3 50 0");

        assertEquals(100 + 2 + 30 + 1 + 20 + 3, cpu.busyTicks());
        assertEquals(156 + 500 + 7, cpu.totalTicks());
    }

    @Test
    void theTimeSinceAnEarlierReadingIsTheDifference() {
        MachineCpu before = MachineCpu.parse("cpu  100 0 50 1000 0 0 10 0 0 0");
        MachineCpu after = MachineCpu.parse("cpu  160 0 90 1100 0 0 30 0 0 0");

        MachineCpu spent = after.since(before);

        assertEquals(120, spent.busyTicks());
        assertEquals(1.2, spent.busySeconds(), 1e-9);
        assertEquals(120.0 / 220, spent.busyShare(), 1e-9);
    }

    @Test
    void aLineThatIsNotTheAggregateCpuLineIsRefusedNamingIt() {
        IllegalArgumentException perCpu = assertThrows(IllegalArgumentException.class,
                () -> MachineCpu.parse("cpu0 1 2 3 4 5 6 7 8"));
        assertTrue(perCpu.getMessage().contains("cpu0 1 2"), perCpu.getMessage());
        IllegalArgumentException shortLine = assertThrows(IllegalArgumentException.class,
                () -> MachineCpu.parse("cpu 1 2 3"));
        assertTrue(shortLine.getMessage().contains("at least 8 counters"), shortLine.getMessage());
        IllegalArgumentException notNumbers = assertThrows(IllegalArgumentException.class,
                () -> MachineCpu.parse("cpu 1 2 x 4 5 6 7 8"));
        assertTrue(notNumbers.getMessage().contains("not a whole number"), notNumbers.getMessage());
    }

    @Test
    void thisMachinesCountersParseAndGrow() throws Exception {
        MachineCpu first = MachineCpu.now();
        MachineCpu second = MachineCpu.now();

        assertTrue(first.totalTicks() > 0 && second.since(first).totalTicks() >= 0);
    }
}
