package dev.tern.host;

import dev.tern.spi.DataPlaneStatus;
import dev.tern.spi.RelayServer;
import dev.tern.spi.RelayStatus;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Samples one running relay's {@link RelayStatus}: its data plane, live allocations, and the bit rate it relayed
 * (both planes, both directions) since the previous sample, 0 on the first. Capacity is reported as 0 (unlimited).
 * Serves the fleet heartbeat and the admin page's history of a relay without a fleet alike.
 *
 * <p>Thread-safe: samples are serialized. A byte counter that goes back (a restarted plane) reads as 0 bit/s, not a
 * negative rate.
 */
public final class RelayStatusSampler {

    private final RelayServer relay;
    private final Clock clock;
    private long lastBytes = -1;
    private Instant lastAt;

    /**
     * @param relay the relay whose counters are read
     * @param clock the time of each sample
     */
    public RelayStatusSampler(RelayServer relay, Clock clock) {
        this.relay = Objects.requireNonNull(relay, "relay");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The relay's status now, under the given name.
     *
     * @param relayId how the relay is named in the status
     * @param uris the URIs it is reached at
     * @param draining whether it refuses new allocations now
     */
    public synchronized RelayStatus sample(String relayId, List<URI> uris, boolean draining) {
        Instant now = clock.instant();
        DataPlaneStatus plane = relay.dataPlane();
        long bytes = plane.user().bytes() + plane.kernel().bytes();
        long bps = 0;
        if (lastBytes >= 0) {
            long millis = Math.max(1, Duration.between(lastAt, now).toMillis());
            bps = Math.max(0, (bytes - lastBytes) * 8 * 1000 / millis);
        }
        lastBytes = bytes;
        lastAt = now;
        // The nonce key is the fleet's to say (it adds it to the heartbeat it publishes).
        RelayStatus.Setup setup = RelayStatus.Setup.unknownKey(plane.plane().name().toLowerCase(Locale.ROOT));
        return new RelayStatus(relayId, uris, setup, new RelayStatus.Load(0, relay.allocations().size(), bps), draining,
                now);
    }
}
