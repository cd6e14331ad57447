package dev.tern.relay.server;

import dev.tern.api.PolicyEvaluator;
import dev.tern.guard.ClientLogThrottle;
import dev.tern.relay.allocation.AllocationRegistry;
import dev.tern.relay.allocation.OwnAddresses;
import dev.tern.relay.auth.LongTermAuthenticator;
import dev.tern.relay.codec.ChannelNumbers;
import dev.tern.relay.peer.ListenerAddresses;
import dev.tern.relay.plane.DataPlane;
import dev.tern.relay.transport.PortReservations;
import dev.tern.relay.transport.RelayFamilies;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * What every listening socket's handlers share: settings, the authenticator, the peers accepted, the
 * registry of allocations, the port binders, policy and listeners.
 *
 * <p>Immutable and thread-safe (as thread-safe as its parts, which all are).
 *
 * @param serverName the Matrix server name, to qualify bare user names for policy
 * @param secureStun whether Binding requests need credentials
 * @param software the SOFTWARE attribute, if sent
 * @param defaultLifetime allocation lifetime when none is asked
 * @param maxLifetime the longest allocation lifetime
 * @param strictExpiry cap lifetimes by the credential's expiry
 * @param userQuota allocations per user when policy sets none, or {@link Integer#MAX_VALUE}
 * @param maxPermissions peer permissions per allocation
 * @param relayFamilies the families relayed: their port binders and advertised addresses
 * @param clock wall-clock time (credential expiry, views)
 * @param nanoTime monotonic time for permissions, channels, rate limits and caches
 * @param dataPlane the plane forwarding bound UDP channels, told of every change to them
 * @param channelNumbers the channel numbers ChannelBind accepts
 * @param ownListeners the relay's UDP listening transport addresses, never a peer
 * @param clientLog throttles the log lines a client can cause (refusals, bad packets, broken connections)
 * @param ownAddresses the relay's own addresses as peers: its live allocations' relayed addresses, whose data
 *     is handed over inside the relay, never sent, and its listeners, never a peer
 * @param fleetLeases the fleet-wide count of each user's allocations (#18)
 */
public record RelayRuntime(
        String serverName,
        boolean secureStun,
        Optional<String> software,
        Duration defaultLifetime,
        Duration maxLifetime,
        boolean strictExpiry,
        int userQuota,
        int maxPermissions,
        LongTermAuthenticator authenticator,
        AllocationRegistry registry,
        RelayFamilies relayFamilies,
        PortReservations reservations,
        PolicyEvaluator policy,
        RelayEvents events,
        Clock clock,
        LongSupplier nanoTime,
        DataPlane dataPlane,
        ChannelNumbers channelNumbers,
        ListenerAddresses ownListeners,
        ClientLogThrottle clientLog,
        OwnAddresses ownAddresses,
        FleetLeases fleetLeases) {
}
