package dev.tern.launcher;

import dev.tern.admin.metrics.PrometheusMetrics;
import dev.tern.spi.Fleet;

/**
 * The fleet's gauges (#18), read at each scrape: {@code tern_fleet_relays_live} and {@code tern_fleet_degraded}.
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
    }
}
