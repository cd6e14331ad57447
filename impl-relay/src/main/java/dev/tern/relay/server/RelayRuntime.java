package dev.tern.relay.server;

import dev.tern.spi.PolicyEvaluator;
import dev.tern.guard.ClientLogThrottle;
import dev.tern.relay.allocation.AllocationRegistry;
import dev.tern.relay.allocation.OwnAddresses;
import dev.tern.relay.auth.LongTermAuthenticator;
import dev.tern.relay.core.request.CoreSettings;
import dev.tern.relay.peer.ListenerAddresses;
import dev.tern.relay.plane.DataPlane;
import dev.tern.relay.transport.PortReservations;
import dev.tern.relay.transport.RelayFamilies;
import java.time.Clock;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * What every listening socket's handlers share, by concern: settings, who is admitted, the sockets and data planes,
 * the observers, and time.
 *
 * <p>Immutable and thread-safe (as thread-safe as its parts, which all are).
 *
 * @param settings what the relay decides and answers by
 * @param admission who may allocate, and the counts an allocation is admitted against
 * @param planes the sockets and data planes that carry allocations, and the relay's own addresses
 * @param observers who is told of what happens
 * @param clock wall-clock time (credential expiry, views)
 * @param nanoTime monotonic time for permissions, channels, rate limits and caches
 */
public record RelayRuntime(Settings settings, Admission admission, Planes planes, Observers observers, Clock clock,
        LongSupplier nanoTime) {

    /**
     * What the relay decides and answers by.
     *
     * @param turn the settings the TURN core decides by (server name, Binding with credentials or not, lifetimes,
     *     quotas, channel numbers, relayed families)
     * @param software the SOFTWARE attribute, if sent
     */
    public record Settings(CoreSettings turn, Optional<String> software) {
    }

    /**
     * Who may allocate, and the counts an allocation is admitted against.
     *
     * @param authenticator checks requests' long-term credentials
     * @param policy decides whether a user may allocate, and with which limits
     * @param registry the relay's allocations, counted in total, per client address and per user
     * @param fleetLeases the fleet-wide count of each user's allocations (#18)
     */
    public record Admission(LongTermAuthenticator authenticator, PolicyEvaluator policy, AllocationRegistry registry,
            FleetLeases fleetLeases) {
    }

    /**
     * The sockets and data planes that carry allocations, and the relay's own addresses.
     *
     * @param relayFamilies the families relayed: their port binders and advertised addresses
     * @param reservations relay ports held for a later Allocate (EVEN-PORT's R bit)
     * @param dataPlane the plane forwarding bound UDP channels, told of every change to them
     * @param ownListeners the relay's UDP listening transport addresses, never a peer
     * @param ownAddresses the relay's own addresses as peers: its live allocations' relayed addresses, whose data
     *     is handed over inside the relay, never sent, and its listeners, never a peer
     */
    public record Planes(RelayFamilies relayFamilies, PortReservations reservations, DataPlane dataPlane,
            ListenerAddresses ownListeners, OwnAddresses ownAddresses) {

        /** The relayed families as the TURN core sees them: which it relays, and whether DF can be set. */
        public CoreSettings.RelayedFamilies relayedFamilies() {
            return new CoreSettings.RelayedFamilies(relayFamilies.ipv4().isPresent(), relayFamilies.ipv6().isPresent(),
                    relayFamilies.canSetDontFragment());
        }
    }

    /**
     * Who is told of what happens.
     *
     * @param events the relay's listeners and counters
     * @param clientLog throttles the log lines a client can cause (refusals, bad packets, broken connections)
     */
    public record Observers(RelayEvents events, ClientLogThrottle clientLog) {
    }
}
