package dev.tern.admin.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tern.spi.RelayStatus;
import dev.tern.testing.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RelayHistoryTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T12:00:00Z"));
    private final AtomicReference<List<RelayStatus>> relays = new AtomicReference<>(List.of());
    private final RelayHistory history = new RelayHistory(relays::get, clock, Duration.ofSeconds(5),
            Duration.ofSeconds(20));

    @Test
    void keepsOneSamplePerRelayPerCallOldestFirstAndAtMostAWindowOfThem() {
        for (int i = 0; i < 6; i++) {
            relays.set(List.of(status("a", i, i * 1000L), status("b", 10 + i, 0)));
            history.sample();
            clock.advance(Duration.ofSeconds(5));
        }
        var series = history.series();
        assertEquals(List.of("a", "b"), List.copyOf(series.keySet()));
        assertEquals(4, series.get("a").size(), "20 s at one sample every 5 s");
        assertEquals(List.of(2, 3, 4, 5), series.get("a").stream().map(RelayHistory.Sample::allocations).toList());
        assertEquals(5000L, series.get("a").get(3).bitsPerSecond());
        assertEquals(Instant.parse("2026-12-06T12:00:25Z"), series.get("b").get(3).at());
        assertEquals(List.of("a", "b"), history.latest().stream().map(RelayStatus::relayId).toList());
    }

    @Test
    void aRelayGoneForAWholeWindowIsForgottenAndTheTableListsOnlyTheLastSample() {
        relays.set(List.of(status("a", 1, 0), status("b", 1, 0)));
        history.sample();
        relays.set(List.of(status("a", 2, 0)));
        for (int i = 0; i < 4; i++) {
            clock.advance(Duration.ofSeconds(5));
            history.sample();
        }
        assertEquals(List.of("a"), history.latest().stream().map(RelayStatus::relayId).toList());
        assertEquals(1, history.series().get("b").size(), "still within the window");
        clock.advance(Duration.ofSeconds(5));
        history.sample();
        assertEquals(List.of("a"), List.copyOf(history.series().keySet()));
    }

    @Test
    void keepsAtMostMaxRelaysWhateverTheFleetStoreHolds() {
        List<RelayStatus> many = new ArrayList<>();
        for (int i = 0; i < RelayHistory.MAX_RELAYS + 10; i++) {
            many.add(status("relay-" + i, 1, 0));
        }
        relays.set(many);
        history.sample();
        assertEquals(RelayHistory.MAX_RELAYS, history.series().size());
        assertEquals(RelayHistory.MAX_RELAYS, history.latest().size());
    }

    @Test
    void aFailingSourceSkipsTheSampleAndKeepsTheHistory() {
        relays.set(List.of(status("a", 1, 0)));
        history.sample();
        relays.set(null); // List.copyOf(null) throws: the fleet store could not be read
        clock.advance(Duration.ofSeconds(5));
        history.sample();
        assertEquals(1, history.series().get("a").size());
        assertEquals(List.of("a"), history.latest().stream().map(RelayStatus::relayId).toList());
    }

    @Test
    void refusesAnIntervalLongerThanTheWindowOrNotPositive() {
        assertThrows(IllegalArgumentException.class,
                () -> new RelayHistory(List::of, clock, Duration.ofMinutes(1), Duration.ofSeconds(5)));
        assertThrows(IllegalArgumentException.class,
                () -> new RelayHistory(List::of, clock, Duration.ZERO, Duration.ofSeconds(5)));
    }

    private RelayStatus status(String id, int allocations, long bps) {
        return new RelayStatus(id, List.of(URI.create("turn:127.0.0.1:3478?transport=udp")),
                RelayStatus.Setup.unknownKey("user"), new RelayStatus.Load(0, allocations, bps), false,
                clock.instant());
    }
}
