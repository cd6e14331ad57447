package dev.tern.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveRelaysTest {

    private static RelayStatus relay(String id, int capacity, int allocations, long bits, boolean draining) {
        return new RelayStatus(id, List.of(URI.create("turn:127.0.0.1:3478?transport=udp")),
                RelayStatus.Setup.unknownKey("user"), new RelayStatus.Load(capacity, allocations, bits), draining,
                Instant.EPOCH);
    }

    private static List<String> ids(List<RelayStatus> relays) {
        return relays.stream().map(RelayStatus::relayId).toList();
    }

    @Test
    void ordersByAllocationsThenBitRateThenId() {
        List<RelayStatus> live = List.of(relay("c", 0, 5, 0, false), relay("b", 0, 2, 900, false),
                relay("a", 0, 2, 100, false), relay("d", 0, 2, 100, false));
        assertEquals(List.of("a", "d", "b", "c"), ids(LiveRelays.acceptingLeastLoadedFirst(live)));
    }

    @Test
    void leavesOutDrainingRelaysAndRelaysAtCapacity() {
        List<RelayStatus> live = List.of(relay("draining", 0, 0, 0, true), relay("full", 3, 3, 0, false),
                relay("room", 3, 2, 0, false), relay("unlimited", 0, 50, 0, false));
        assertEquals(List.of("room", "unlimited"), ids(LiveRelays.acceptingLeastLoadedFirst(live)));
    }

    @Test
    void anEmptyFleetHasNoRelay() {
        assertEquals(List.of(), LiveRelays.acceptingLeastLoadedFirst(List.of()));
    }
}
