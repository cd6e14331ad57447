package dev.tern.bench.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MachineUdpCountersTest {

    @Test
    void readsTheUdpCountersByTheNamesInTheHeaderLine() {
        Map<String, Long> udp = MachineUdpCounters.udpCounters(List.of(
                "Ip: Forwarding DefaultTTL",
                "Ip: 1 64",
                "Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti",
                "Udp: 1000 7 12 900 5 0 1 0",
                "UdpLite: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors",
                "UdpLite: 0 99 99 0 99 0 99"));
        assertEquals(12L, udp.get("InErrors"));
        assertEquals(5L, udp.get("RcvbufErrors"));
        assertEquals(1L, udp.get("InCsumErrors"));
        assertEquals(7L, udp.get("NoPorts"));
    }

    @Test
    void readsNothingWithoutAUdpValueLine() {
        assertEquals(Map.of(), MachineUdpCounters.udpCounters(List.of("Udp: InDatagrams NoPorts")));
    }

    @Test
    void sumsTheBacklogDropsOverCpus() {
        assertEquals(0x10 + 0x2, MachineUdpCounters.parseSoftnet(List.of(
                "0000a000 00000010 00000000", "0000b000 00000002 00000000")));
    }
}
