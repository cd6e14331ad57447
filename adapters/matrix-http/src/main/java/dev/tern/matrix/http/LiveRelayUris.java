package dev.tern.matrix.http;

import dev.tern.spi.Fleet;
import dev.tern.spi.FleetHealth;
import dev.tern.spi.LiveRelays;
import dev.tern.spi.RelayStatus;
import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * The {@code uris} {@code /voip/turnServer} hands out in a fleet (#18 point 4): the URIs of the live relays that take
 * new allocations (not draining, below their capacity), relay by relay, the least loaded first
 * ({@link LiveRelays#LEAST_LOADED}: fewest allocations, then lower relayed bit rate, then relay id), each relay's
 * URIs in the order it published them. A relay that died drops out once its heartbeat expires.
 *
 * <p>Falls back to the issuer's configured {@code uris} when there is nothing better to say: with fleet
 * {@code none}; when the fleet store cannot be reached ({@link Fleet#health()} not up: its cache may be stale);
 * when the store was never reached ({@link Fleet#liveRelays()} empty); and when no live relay takes allocations.
 *
 * <p>Thread-safe; reads the fleet's local cache only, never blocks.
 */
final class LiveRelayUris {

    private final Fleet fleet;

    LiveRelayUris(Fleet fleet) {
        this.fleet = Objects.requireNonNull(fleet, "fleet");
    }

    /** The URIs to hand out, given the ones the issuer would hand out alone. */
    List<String> uris(List<String> configured) {
        return uris(fleet.health(), fleet.liveRelays(), configured);
    }

    /** The choice itself, from the fleet's health and live relays: what {@link #uris(List)} does. */
    static List<String> uris(FleetHealth health, List<RelayStatus> liveRelays, List<String> configured) {
        if (!health.up()) {
            return configured;
        }
        List<String> live = LiveRelays.acceptingLeastLoadedFirst(liveRelays).stream()
                .map(RelayStatus::uris).flatMap(List::stream).map(URI::toString).distinct().toList();
        return live.isEmpty() ? configured : live;
    }
}
