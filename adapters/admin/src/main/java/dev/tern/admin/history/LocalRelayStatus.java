package dev.tern.admin.history;

import dev.tern.spi.DataPlaneStatus;
import dev.tern.spi.RelayServer;
import dev.tern.spi.RelayStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * This relay's figures when it runs without a fleet, as the one-element list {@link RelayHistory} samples: live
 * allocations and the bit rate relayed (both planes, both directions) since the previous call. Empty without a
 * relay. Thread-safe (calls are serialized).
 */
public final class LocalRelayStatus implements Supplier<List<RelayStatus>> {

    private final Optional<RelayServer> relay;
    private final Clock clock;
    private long lastBytes = -1;
    private Instant lastAt;

    public LocalRelayStatus(Optional<RelayServer> relay, Clock clock) {
        this.relay = relay;
        this.clock = clock;
    }

    @Override
    public synchronized List<RelayStatus> get() {
        if (relay.isEmpty()) {
            return List.of();
        }
        RelayServer r = relay.get();
        Instant now = clock.instant();
        DataPlaneStatus plane = r.dataPlane();
        long bytes = plane.user().bytes() + plane.kernel().bytes();
        long bps = lastBytes < 0 ? 0
                : Math.max(0, (bytes - lastBytes) * 8 * 1000 / Math.max(1, Duration.between(lastAt, now).toMillis()));
        lastBytes = bytes;
        lastAt = now;
        String id = r.listenUris().isEmpty() ? "this relay" : r.listenUris().get(0).getAuthority();
        return List.of(new RelayStatus(id, r.listenUris(), plane.plane().name().toLowerCase(Locale.ROOT),
                new RelayStatus.Load(0, r.allocations().size(), bps), false, now));
    }
}
