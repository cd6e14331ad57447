package dev.tern.admin.metrics;

import dev.tern.spi.AllocationView;
import dev.tern.spi.RelayListener;
import dev.tern.spi.RelayListener.Plane;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;

/**
 * Turns relay events into counters. Labels come from fixed sets (directions, failure reasons, a few
 * deletion reasons); users, clients and peers are never labels.
 *
 * <p>Thread-safe; called on the relay's event loops, so every method only increments counters.
 */
final class RelayMetrics implements RelayListener {

    private final Counter allocationsCreated;
    private final Counter allocationsRefreshed;
    private final Counter allocationsDeleted;
    private final Counter permissions;
    private final Counter channels;
    private final Counter packets;
    private final Counter bytes;
    private final Counter planePackets;
    private final Counter planeBytes;
    private final Counter rateLimitedPackets;
    private final Counter rateLimitedBytes;
    private final Counter oversizedDropped;
    private final Counter authFailures;
    private final Counter peerRefusals;
    private final Counter quotaRefusals;

    RelayMetrics(PrometheusRegistry registry) {
        allocationsCreated = counter(registry, "tern_relay_allocations_created", "Allocations created");
        allocationsRefreshed = counter(registry, "tern_relay_allocations_refreshed", "Allocations refreshed");
        allocationsDeleted = counter(registry, "tern_relay_allocations_deleted",
                "Allocations ended, by reason (client, expired, closed)", "reason");
        permissions = counter(registry, "tern_relay_permissions_created", "Peer permissions created");
        channels = counter(registry, "tern_relay_channels_bound", "Channels bound");
        packets = counter(registry, "tern_relay_packets", "Packets relayed, by direction", "direction");
        bytes = counter(registry, "tern_relay_bytes", "Bytes of application data relayed, by direction", "direction");
        planePackets = counter(registry, "tern_relay_plane_packets",
                "Packets relayed, by the data plane that forwarded them (user, kernel) and direction", "plane",
                "direction");
        planeBytes = counter(registry, "tern_relay_plane_bytes",
                "Bytes of application data relayed, by data plane (user, kernel) and direction", "plane", "direction");
        rateLimitedPackets = counter(registry, "tern_relay_rate_limited_packets",
                "Packets dropped because an allocation exceeded its bitrate");
        rateLimitedBytes = counter(registry, "tern_relay_rate_limited_bytes",
                "Bytes dropped because an allocation exceeded its bitrate");
        oversizedDropped = counter(registry, "tern_relay_oversized_dropped_packets",
                "Datagrams from peers dropped whole for being longer than the relay relays (65456 bytes)");
        authFailures = counter(registry, "tern_relay_auth_failures", "Requests refused by authentication, by reason",
                "reason");
        peerRefusals = counter(registry, "tern_relay_peer_refusals", "Peer addresses refused by the peer filter");
        quotaRefusals = counter(registry, "tern_relay_quota_refusals", "Allocations or permissions refused by "
                + "policy or limits, by reason", "reason");
        // Every known label value starts at 0, so rates and alerts work before the first event.
        for (Direction d : Direction.values()) {
            packets.labelValues(label(d)).inc(0);
            bytes.labelValues(label(d)).inc(0);
            for (Plane p : Plane.values()) {
                planePackets.labelValues(label(p), label(d)).inc(0);
                planeBytes.labelValues(label(p), label(d)).inc(0);
            }
        }
        for (AuthFailure f : AuthFailure.values()) {
            authFailures.labelValues(label(f)).inc(0);
        }
        for (String reason : new String[] {"client", "expired", "closed"}) {
            allocationsDeleted.labelValues(reason).inc(0);
        }
    }

    @Override
    public void allocationCreated(AllocationView allocation) {
        allocationsCreated.inc();
    }

    @Override
    public void allocationRefreshed(AllocationView allocation) {
        allocationsRefreshed.inc();
    }

    @Override
    public void allocationDeleted(AllocationView allocation, String reason) {
        allocationsDeleted.labelValues(deletionReason(reason)).inc();
    }

    @Override
    public void permissionCreated(AllocationView allocation, InetAddress peer) {
        permissions.inc();
    }

    @Override
    public void channelBound(AllocationView allocation, int channelNumber, String peer) {
        channels.inc();
    }

    @Override
    public void relayed(Direction direction, long packetCount, long byteCount) {
        packets.labelValues(label(direction)).inc(packetCount);
        bytes.labelValues(label(direction)).inc(byteCount);
    }

    @Override
    public void relayedBy(Plane plane, Direction direction, long packetCount, long byteCount) {
        planePackets.labelValues(label(plane), label(direction)).inc(packetCount);
        planeBytes.labelValues(label(plane), label(direction)).inc(byteCount);
    }

    @Override
    public void rateLimited(long packetCount, long byteCount) {
        rateLimitedPackets.inc(packetCount);
        rateLimitedBytes.inc(byteCount);
    }

    @Override
    public void oversizedDropped(long packetCount) {
        oversizedDropped.inc(packetCount);
    }

    @Override
    public void authFailed(AuthFailure reason) {
        authFailures.labelValues(label(reason)).inc();
    }

    @Override
    public void peerRefused() {
        peerRefusals.inc();
    }

    @Override
    public void quotaRefused(Refusal reason) {
        quotaRefusals.labelValues(label(reason)).inc();
    }

    /** Starts each reason the watched relay can refuse with at 0, so rates and alerts work before the first. */
    void knowRefusals(List<Refusal> reasons) {
        for (Refusal reason : reasons) {
            quotaRefusals.labelValues(label(reason)).inc(0);
        }
    }

    /** The relay's reasons are free text; only three label values exist so the label stays bounded. */
    static String deletionReason(String reason) {
        String r = reason == null ? "" : reason.toLowerCase(Locale.ROOT);
        if (r.contains("expire")) {
            return "expired";
        }
        return r.contains("client") ? "client" : "closed";
    }

    static String label(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** A relay's reasons are its own set (an enum as a rule), labelled like the enums above. */
    static String label(Refusal reason) {
        return reason.name().toLowerCase(Locale.ROOT);
    }

    private static Counter counter(PrometheusRegistry registry, String name, String help, String... labels) {
        return Counter.builder().name(name).help(help).labelNames(labels).register(registry);
    }
}
