package dev.tern.guice;

import dev.tern.spi.DataPlaneStatus;
import dev.tern.spi.Fleet;
import dev.tern.spi.RelayServer;
import dev.tern.spi.RelayStatus;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What a running relay tells its fleet each heartbeat (#18): its id, the {@code turn:}/{@code turns:} URIs of its
 * listeners, its data plane, live allocations, the bit rate it relayed since the last beat, and whether it drains.
 * A listener on a wildcard address is named by this machine's host name. Capacity is reported as 0 (unlimited).
 *
 * <p>Thread-safe: {@link #get()} may run on any thread, one at a time (the fleet's heartbeat).
 */
public final class FleetMembership implements Supplier<RelayStatus> {

    private final RelayServer relay;
    private final String relayId;
    private final Clock clock;
    private final BooleanSupplier draining;
    private long lastBytes = -1;
    private Instant lastAt;

    /**
     * @param relay a started relay
     * @param fleet its fleet: a configured {@code relay_id} names the relay, else the host and first port proposed here
     * @param draining whether the relay refuses new allocations now
     */
    public FleetMembership(RelayServer relay, Fleet fleet, Clock clock, BooleanSupplier draining) {
        this.relay = relay;
        this.clock = clock;
        this.draining = draining;
        List<URI> listening = relay.listenUris();
        // Proposed at join; a configured relay_id wins over it (the fleet decides).
        this.relayId = listening.isEmpty() ? fleet.relayId() : host(listening.get(0)) + ":" + listening.get(0).getPort();
    }

    @Override
    public synchronized RelayStatus get() {
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
        return new RelayStatus(relayId, publicUris(relay.listenUris()), plane.plane().name().toLowerCase(Locale.ROOT),
                new RelayStatus.Load(0, relay.allocations().size(), bps), draining.getAsBoolean(), now);
    }

    /** {@code udp://h:p} to {@code turn:h:p?transport=udp}, TCP likewise, TLS to {@code turns:h:p?transport=tcp}. */
    static List<URI> publicUris(List<URI> listening) {
        List<URI> out = new ArrayList<>();
        for (URI u : listening) {
            String scheme = u.getScheme().toLowerCase(Locale.ROOT);
            String hostPort = hostForUri(u) + ":" + u.getPort();
            if (scheme.equals("udp")) {
                out.add(URI.create("turn:" + hostPort + "?transport=udp"));
            } else if (scheme.startsWith("tls")) {
                out.add(URI.create("turns:" + hostPort + "?transport=tcp"));
            } else if (scheme.startsWith("tcp")) {
                out.add(URI.create("turn:" + hostPort + "?transport=tcp"));
            }
        }
        return List.copyOf(out);
    }

    private static String hostForUri(URI u) {
        String h = host(u);
        return h.contains(":") ? "[" + h + "]" : h;
    }

    private static String host(URI u) {
        String h = u.getHost() == null ? "" : u.getHost().replace("[", "").replace("]", "");
        if (h.isEmpty() || h.equals("0.0.0.0") || h.equals("::") || h.equals("0:0:0:0:0:0:0:0")) {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                return "localhost";
            }
        }
        return h;
    }
}
