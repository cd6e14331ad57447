package dev.tern.spi;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** {@link Fleet#NONE}: a relay without a fleet store. Stateless, so one instance serves every host. */
final class StandaloneRelay implements Fleet {

    private static final CompletionStage<LeaseOutcome> LOCAL = CompletableFuture.completedFuture(LeaseOutcome.LOCAL);

    @Override
    public String relayId() {
        return "standalone";
    }

    @Override
    public void join(Supplier<RelayStatus> self) {
        Objects.requireNonNull(self, "self");
    }

    @Override
    public List<RelayStatus> liveRelays() {
        return List.of();
    }

    @Override
    public FleetHealth health() {
        return FleetHealth.UP;
    }

    @Override
    public CompletionStage<LeaseOutcome> acquireLease(String userId, String allocationId, int maxAllocations) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(allocationId, "allocationId");
        return LOCAL;
    }

    @Override
    public void releaseLease(String userId, String allocationId) {
    }

    @Override
    public CompletionStage<Void> revoke(String userId) {
        Objects.requireNonNull(userId, "userId");
        return CompletableFuture.failedFuture(new IllegalStateException(
                "revocation needs a fleet store: set fleet.type (for example redis)"));
    }

    @Override
    public Optional<Instant> revokedAt(String userId) {
        return Optional.empty();
    }

    @Override
    public void onRevoke(Consumer<String> listener) {
        Objects.requireNonNull(listener, "listener");
    }

    @Override
    public void close() {
    }
}
