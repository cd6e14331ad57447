package dev.tern.relay;

import dev.tern.spi.Fleet;
import dev.tern.spi.FleetHealth;
import dev.tern.spi.LeaseOutcome;
import dev.tern.spi.RelayStatus;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A fleet whose cache lists these relays ({@link Fleet#liveRelays()}, what the Redis fleet would cache); otherwise a
 * relay alone: leases and revocation as {@link Fleet#NONE}. For tests of a draining relay's 300 Try Alternate without
 * Redis.
 */
record ListedFleet(String relayId, List<RelayStatus> liveRelays) implements Fleet {

    /** A relay of the list, reached over UDP at {@code address}, draining or not. */
    static RelayStatus status(String id, InetSocketAddress address, boolean draining) {
        String host = address.getAddress().getHostAddress();
        String uri = "turn:" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort()
                + "?transport=udp";
        return new RelayStatus(id, List.of(URI.create(uri)), RelayStatus.Setup.unknownKey("user"),
                RelayStatus.Load.IDLE, draining, Instant.now());
    }

    @Override
    public void join(Supplier<RelayStatus> self) {
    }

    @Override
    public FleetHealth health() {
        return FleetHealth.UP;
    }

    @Override
    public CompletionStage<LeaseOutcome> acquireLease(String userId, String allocationId, int maxAllocations) {
        return Fleet.NONE.acquireLease(userId, allocationId, maxAllocations);
    }

    @Override
    public void releaseLease(String userId, String allocationId) {
    }

    @Override
    public CompletionStage<Void> revoke(String userId) {
        return Fleet.NONE.revoke(userId);
    }

    @Override
    public Optional<Instant> revokedAt(String userId) {
        return Optional.empty();
    }

    @Override
    public void onRevoke(Consumer<String> listener) {
    }

    @Override
    public void close() {
    }
}
