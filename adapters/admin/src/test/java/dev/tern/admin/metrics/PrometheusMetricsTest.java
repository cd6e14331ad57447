package dev.tern.admin.metrics;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.Transport;
import dev.tern.spi.AllocationView;
import dev.tern.spi.RelayListener;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusMetricsTest {

    /** A relay's own refusal reasons: the SPI leaves the set to each relay. */
    private enum RelayRefusal implements RelayListener.Refusal { USER_ALLOCATIONS }

    private final PrometheusMetrics metrics = new PrometheusMetrics();

    @Test
    void providerCountersBecomePrometheusCountersWithTagsAsLabels() {
        metrics.count("tern_credentials_issued", Map.of("type", "rest", "reuse", "fresh"), 2);
        metrics.count("tern_credentials_issued", Map.of("type", "rest", "reuse", "fresh"), 1);
        metrics.count("tern_credentials_issued", Map.of("type", "rest", "reuse", "reused"), 1);

        String text = metrics.scrape();
        assertTrue(text.contains("# TYPE tern_credentials_issued_total counter"), text);
        assertTrue(text.contains("tern_credentials_issued_total{reuse=\"fresh\",type=\"rest\"} 3.0"), text);
        assertTrue(text.contains("tern_credentials_issued_total{reuse=\"reused\",type=\"rest\"} 1.0"), text);
    }

    @Test
    void aHostGaugeIsReadAtEachScrape() {
        java.util.concurrent.atomic.AtomicLong buckets = new java.util.concurrent.atomic.AtomicLong(3);
        metrics.gauge("tern_matrix_rate_limit_buckets", "Token buckets", buckets::get);
        assertTrue(metrics.scrape().contains("tern_matrix_rate_limit_buckets 3.0"), metrics.scrape());
        buckets.set(0);
        assertTrue(metrics.scrape().contains("tern_matrix_rate_limit_buckets 0.0"), metrics.scrape());
    }

    @Test
    void providerTimersBecomeHistogramsInSeconds() {
        metrics.time("tern_policy_source", Map.of("source", "ldap", "result", "ok"), Duration.ofMillis(250));
        metrics.time("tern_policy_source", Map.of("source", "ldap", "result", "ok"), Duration.ofMillis(750));

        String text = metrics.scrape();
        assertTrue(text.contains("# TYPE tern_policy_source_seconds histogram"), text);
        assertTrue(text.contains("tern_policy_source_seconds_count{result=\"ok\",source=\"ldap\"} 2"), text);
        assertTrue(text.contains("tern_policy_source_seconds_sum{result=\"ok\",source=\"ldap\"} 1.0"), text);
        assertTrue(text.contains("tern_policy_source_seconds_bucket{result=\"ok\",source=\"ldap\",le=\"0.5\"} 1"), text);
    }

    @Test
    void tagsDifferentFromTheFirstUseKeepTheFirstLabelSet() {
        metrics.count("tern_things", Map.of("kind", "a"), 1);
        metrics.count("tern_things", Map.of("kind", "b", "extra", "x"), 1);
        metrics.count("tern_things", Map.of(), 1);

        String text = metrics.scrape();
        assertTrue(text.contains("tern_things_total{kind=\"a\"} 1.0"), text);
        assertTrue(text.contains("tern_things_total{kind=\"b\"} 1.0"), text);
        assertTrue(text.contains("tern_things_total{kind=\"\"} 1.0"), text);
        assertFalse(text.contains("extra"), text);
    }

    @Test
    void aNameClashingWithAnotherKindOfMetricIsDroppedWithoutThrowing() {
        assertDoesNotThrow(() -> metrics.count("tern_relay_allocations", Map.of(), 1));
        assertDoesNotThrow(() -> metrics.count("tern_relay_allocations", Map.of(), 1));
        assertTrue(metrics.scrape().contains("tern_relay_allocations 0"), metrics.scrape());
    }

    @Test
    void unboundedTagValuesAreFoldedIntoOtherPastTheSeriesCap() {
        for (int i = 0; i < ProviderMetricFamilies.MAX_SERIES_PER_METRIC + 20; i++) {
            metrics.count("tern_by_user_by_mistake", Map.of("user", "@user" + i + ":tern.test"), 1);
        }

        String text = metrics.scrape();
        assertTrue(text.contains("tern_by_user_by_mistake_total{user=\"@user0:tern.test\"} 1.0"), text);
        assertTrue(text.contains("tern_by_user_by_mistake_total{user=\"other\"} 20.0"), text);
        assertFalse(text.contains("@user" + ProviderMetricFamilies.MAX_SERIES_PER_METRIC + ":"), text);
    }

    @Test
    void negativeCountsAreIgnoredAndInvalidNamesSanitized() {
        metrics.count("tern-odd.name", Map.of("a-b", "1"), 4);
        metrics.count("tern-odd.name", Map.of("a-b", "1"), -3);

        String text = metrics.scrape();
        assertTrue(text.contains("tern_odd_name_total{a_b=\"1\"} 4.0"), text);
    }

    @Test
    void relayEventsBecomeCountersByDirectionAndReasonWithoutUserIds() {
        RelayListener listener = metrics.relayListener();
        AllocationView allocation = new AllocationView(
                new AllocationView.Owner("@alice:private.example", "1700000000:@alice:private.example"),
                new AllocationView.Addresses(Transport.UDP, new InetSocketAddress("192.0.2.7", 50000),
                        new InetSocketAddress("198.51.100.1", 49152), List.of()),
                List.of("203.0.113.9"), new AllocationView.Lifetime(Instant.EPOCH, Instant.EPOCH.plusSeconds(600)),
                new AllocationView.Traffic(0, 0));
        listener.allocationCreated(allocation);
        listener.allocationRefreshed(allocation);
        listener.permissionCreated(allocation, InetAddress.getLoopbackAddress());
        listener.channelBound(allocation, 0x4000, "203.0.113.9:5000");
        listener.relayed(RelayListener.Direction.TO_PEER, 3, 300);
        listener.relayed(RelayListener.Direction.FROM_PEER, 2, 120);
        listener.relayedBy(RelayListener.Plane.KERNEL, RelayListener.Direction.TO_PEER, 2, 200);
        listener.relayedBy(RelayListener.Plane.USER, RelayListener.Direction.TO_PEER, 1, 100);
        listener.rateLimited(5, 500);
        listener.oversizedDropped(2);
        listener.authFailed(RelayListener.AuthFailure.STALE_NONCE);
        listener.peerRefused();
        listener.quotaRefused(RelayRefusal.USER_ALLOCATIONS);
        listener.allocationDeleted(allocation, "deleted by client");
        listener.allocationDeleted(allocation, "expired");
        listener.allocationDeleted(allocation, "relay stopped");

        String text = metrics.scrape();
        for (String line : List.of(
                "tern_relay_allocations_created_total 1.0",
                "tern_relay_allocations_refreshed_total 1.0",
                "tern_relay_allocations_deleted_total{reason=\"client\"} 1.0",
                "tern_relay_allocations_deleted_total{reason=\"expired\"} 1.0",
                "tern_relay_allocations_deleted_total{reason=\"closed\"} 1.0",
                "tern_relay_permissions_created_total 1.0",
                "tern_relay_channels_bound_total 1.0",
                "tern_relay_packets_total{direction=\"to_peer\"} 3.0",
                "tern_relay_bytes_total{direction=\"to_peer\"} 300.0",
                "tern_relay_packets_total{direction=\"from_peer\"} 2.0",
                "tern_relay_bytes_total{direction=\"from_peer\"} 120.0",
                "tern_relay_plane_packets_total{direction=\"to_peer\",plane=\"kernel\"} 2.0",
                "tern_relay_plane_bytes_total{direction=\"to_peer\",plane=\"kernel\"} 200.0",
                "tern_relay_plane_packets_total{direction=\"to_peer\",plane=\"user\"} 1.0",
                "tern_relay_plane_packets_total{direction=\"from_peer\",plane=\"kernel\"} 0.0",
                "tern_relay_data_plane{plane=\"user\"} 0.0",
                "tern_relay_rate_limited_packets_total 5.0",
                "tern_relay_rate_limited_bytes_total 500.0",
                "tern_relay_oversized_dropped_packets_total 2.0",
                "tern_relay_auth_failures_total{reason=\"stale_nonce\"} 1.0",
                "tern_relay_auth_failures_total{reason=\"bad_integrity\"} 0.0",
                "tern_relay_peer_refusals_total 1.0",
                "tern_relay_quota_refusals_total{reason=\"user_allocations\"} 1.0",
                "tern_relay_allocations 0.0")) {
            assertTrue(text.contains(line + "\n"), () -> "missing " + line + " in\n" + text);
        }
        assertFalse(text.contains("alice"), text);
        assertFalse(text.contains("192.0.2.7"), text);
        assertFalse(text.contains("203.0.113.9"), text);
    }

    @Test
    void scrapeIsPrometheusTextFormat() {
        assertEquals("text/plain; version=0.0.4; charset=utf-8", PrometheusMetrics.contentType());
        assertTrue(metrics.scrape().contains("# HELP tern_relay_peer_refusals_total "), metrics.scrape());
    }
}
