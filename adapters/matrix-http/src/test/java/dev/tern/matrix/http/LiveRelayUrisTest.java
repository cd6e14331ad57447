package dev.tern.matrix.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tern.spi.Fleet;
import dev.tern.spi.FleetHealth;
import dev.tern.spi.RelayStatus;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveRelayUrisTest {

    private static final List<String> CONFIGURED = List.of("turn:turn.example.org:3478?transport=udp");

    private static RelayStatus relay(String id, int allocations, boolean draining, String... uris) {
        return new RelayStatus(id, List.of(uris).stream().map(URI::create).toList(),
                RelayStatus.Setup.unknownKey("user"), new RelayStatus.Load(0, allocations, 0), draining, Instant.EPOCH);
    }

    @Test
    void listsLiveRelaysThatAreNotDrainingLeastLoadedFirst() {
        List<RelayStatus> live = List.of(
                relay("a", 7, false, "turn:127.0.0.2:3478?transport=udp", "turn:127.0.0.2:3478?transport=tcp"),
                relay("b", 0, true, "turn:127.0.0.3:3478?transport=udp"),
                relay("c", 2, false, "turn:127.0.0.4:3478?transport=udp"));
        assertEquals(List.of("turn:127.0.0.4:3478?transport=udp", "turn:127.0.0.2:3478?transport=udp",
                "turn:127.0.0.2:3478?transport=tcp"), LiveRelayUris.uris(FleetHealth.UP, live, CONFIGURED));
    }

    @Test
    void fallsBackToTheConfiguredUrisWhenTheStoreCannotBeReached() {
        List<RelayStatus> stale = List.of(relay("a", 0, false, "turn:127.0.0.2:3478?transport=udp"));
        assertEquals(CONFIGURED, LiveRelayUris.uris(FleetHealth.degraded("Redis connection refused"), stale,
                CONFIGURED));
    }

    @Test
    void fallsBackToTheConfiguredUrisWithoutALiveRelayThatTakesAllocations() {
        assertEquals(CONFIGURED, LiveRelayUris.uris(FleetHealth.UP, List.of(), CONFIGURED));
        assertEquals(CONFIGURED, LiveRelayUris.uris(FleetHealth.UP,
                List.of(relay("a", 0, true, "turn:127.0.0.2:3478?transport=udp")), CONFIGURED));
    }

    @Test
    void fleetNoneKeepsTheConfiguredUris() {
        assertEquals(CONFIGURED, new LiveRelayUris(Fleet.NONE).uris(CONFIGURED));
    }
}
