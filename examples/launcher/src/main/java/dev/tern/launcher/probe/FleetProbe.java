package dev.tern.launcher.probe;

import dev.tern.spi.RelayStatus;
import dev.tern.spi.Transport;
import dev.tern.spi.TurnUri;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Probes every relay of a fleet (#18 point 4): for each live relay, a {@link TurnProbe} on the first of its
 * published URIs this probe speaks (UDP), and one line per relay saying how it went. Relays are probed one after
 * the other, each bounded by the timeout of its steps.
 *
 * <p>Not thread-safe; one run per instance. Never shows the password.
 */
public final class FleetProbe {

    /**
     * How one relay did.
     *
     * @param relayId the relay's id in the fleet
     * @param uri the URI probed, or empty when the relay publishes none this probe speaks
     * @param ok whether relaying through it works
     * @param roundTrip the Binding round trip, or zero when there was none
     * @param detail what was checked, or the step that failed and why
     */
    public record Outcome(String relayId, Optional<URI> uri, boolean ok, Duration roundTrip, String detail) {
        public Outcome {
            Objects.requireNonNull(relayId, "relayId");
            Objects.requireNonNull(uri, "uri");
            Objects.requireNonNull(roundTrip, "roundTrip");
            Objects.requireNonNull(detail, "detail");
        }
    }

    private final Duration timeout;

    public FleetProbe(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** Probes each relay with these credentials, in the order given. */
    public List<Outcome> run(List<RelayStatus> relays, String username, String password) {
        List<Outcome> outcomes = new ArrayList<>();
        for (RelayStatus relay : relays) {
            outcomes.add(probe(relay, username, password));
        }
        return List.copyOf(outcomes);
    }

    private Outcome probe(RelayStatus relay, String username, String password) {
        Optional<URI> udp = relay.uris().stream().filter(FleetProbe::udp).findFirst();
        if (udp.isEmpty()) {
            return new Outcome(relay.relayId(), Optional.empty(), false, Duration.ZERO,
                    "publishes no UDP URI, the only transport probe speaks (published: " + relay.uris() + ")");
        }
        InetSocketAddress server;
        try {
            server = address(TurnUri.parse(udp.get().toString()));
        } catch (IllegalArgumentException e) {
            return new Outcome(relay.relayId(), udp, false, Duration.ZERO, e.getMessage());
        }
        TurnProbe.Result result = new TurnProbe(server, timeout).run(username, password);
        Duration roundTrip = result.steps().get(0).ok() ? result.steps().get(0).took() : Duration.ZERO;
        if (result.ok()) {
            return new Outcome(relay.relayId(), udp, true, roundTrip, "allocated twice, relayed both ways, released");
        }
        TurnProbe.Step failed = result.steps().get(result.steps().size() - 1);
        return new Outcome(relay.relayId(), udp, false, roundTrip, failed.name() + ": " + failed.detail());
    }

    private static boolean udp(URI uri) {
        try {
            return TurnUri.parse(uri.toString()).clientTransport() == Transport.UDP;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The address of a {@code turn:} URI's host and port.
     *
     * @throws IllegalArgumentException when the host cannot be resolved
     */
    public static InetSocketAddress address(TurnUri uri) {
        try {
            return new InetSocketAddress(InetAddress.getByName(uri.host()), uri.effectivePort());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve " + uri.host());
        }
    }

    /** Writes one line per relay: id, URI, ok or FAILED, the Binding round trip, and the detail. */
    public static void print(List<Outcome> outcomes, PrintWriter out) {
        for (Outcome o : outcomes) {
            out.printf("  %-24s %-40s %-6s rtt %4d ms  %s%n", o.relayId(), o.uri().map(URI::toString).orElse("-"),
                    o.ok() ? "ok" : "FAILED", o.roundTrip().toMillis(), o.detail());
        }
        out.flush();
    }
}
