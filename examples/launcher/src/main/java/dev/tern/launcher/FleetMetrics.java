package dev.tern.launcher;

import dev.tern.admin.metrics.PrometheusMetrics;
import dev.tern.spi.Fleet;
import dev.tern.spi.FleetNonceKeys;

/**
 * The fleet's gauges (#18), read at each scrape: {@code tern_fleet_relays_live}, {@code tern_fleet_degraded} and
 * {@code tern_fleet_nonce_key_mismatch}.
 * The fleet's counters ({@code tern_fleet_lease_refusals_total}, {@code tern_fleet_revocations_total}) come through
 * the {@code MetricsRecorder} the fleet was made with. Nothing is registered without a fleet. Stateless.
 */
final class FleetMetrics {

    private FleetMetrics() {
    }

    static void register(PrometheusMetrics metrics, Fleet fleet) {
        if (fleet == Fleet.NONE) {
            return;
        }
        metrics.gauge("tern_fleet_relays_live", "Relays of the fleet whose heartbeat is live, this one included "
                + "(as of this relay's last beat)", () -> fleet.liveRelays().size());
        metrics.gauge("tern_fleet_degraded", "1 while the fleet's Redis cannot be reached (local quotas apply)",
                () -> fleet.health().up() ? 0 : 1);
        metrics.gauge("tern_fleet_nonce_key_mismatch", "1 while a live relay of the fleet signs nonces with another "
                + "key than this one (a browser sent there by 300 Try Alternate gets 438 and gives up)",
                () -> FleetNonceKeys.relaysWithAnotherKey(fleet.relayId(), fleet.liveRelays()).isEmpty() ? 0 : 1);
    }
}
