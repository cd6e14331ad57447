package dev.tern.spi;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The relays sharing one fleet store (Redis), as this relay sees them: registration with a heartbeat,
 * fleet-wide allocation leases, and user revocation. Never on the per-packet path: a relay calls it when
 * an allocation starts, is refreshed or ends, and reads its caches for status pages.
 *
 * <p>Thread-safe. Methods documented as never blocking read local state only; the others return a
 * {@link CompletionStage} and do their I/O elsewhere, so they may be called from an event loop. When
 * the store cannot be reached the fleet keeps working on local state and reports it through
 * {@link #health()}; no method throws for a store failure. Null arguments throw
 * {@link NullPointerException}; blank ids throw {@link IllegalArgumentException}.
 */
public interface Fleet extends AutoCloseable {

    /** This relay's id in the fleet (config {@code fleet.relay_id}, by default host:port). */
    String relayId();

    /**
     * Registers this relay and starts its heartbeat; each beat reads {@code self} and publishes it with
     * an expiry of a few beats, so a relay that stops beating drops out of {@link #liveRelays()} and its
     * leases are freed. Call once; {@code self} must be cheap and must not block.
     */
    void join(Supplier<RelayStatus> self);

    /**
     * The live relays, this relay included, from a local cache refreshed every beat; never blocks.
     * Empty when the store was never reached (or for {@link #NONE}). Ordered by relay id.
     */
    List<RelayStatus> liveRelays();

    /**
     * Reads the live relays from the store once, without joining the fleet: for tools that only watch it
     * ({@code tern probe --fleet}), which must not register themselves as relays. Completes with the relays
     * ordered by relay id, or exceptionally with a secret-free reason when the store cannot be reached in time.
     * The default, for fleets without a store, completes with {@link #liveRelays()} (empty for {@link #NONE}).
     */
    default CompletionStage<List<RelayStatus>> readLiveRelays() {
        return CompletableFuture.completedFuture(liveRelays());
    }

    /** Whether the store answers: up, or degraded with a secret-free reason. Never blocks. */
    FleetHealth health();

    /**
     * The key this relay signs its nonces with, asked once when the relay starts, before it answers anything: the
     * configured one as it is, else one key all relays of the fleet share (so that a nonce of one relay is good at
     * another: a browser following a 300 Try Alternate carries the first relay's nonce), else, when the store cannot
     * be read in time, a random key of this relay's own, said in one log line. A fleet with a heartbeat publishes the
     * key's digest and origin in it ({@link RelayStatus.Setup}, never the key), so that {@link FleetNonceKeys} names
     * the live relays on another key. May block for a few of the store's timeouts; never logs the key. The default,
     * for fleets without a store: the configured key, else a random 32-byte one.
     *
     * @param configured the {@code relay.nonce_key} bytes, if configured
     * @return the key bytes (a fresh array the caller owns)
     */
    default byte[] chooseNonceKey(Optional<byte[]> configured) {
        return configured.map(byte[]::clone).orElseGet(FleetNonceKeys::randomKey);
    }

    /**
     * Takes a lease for one allocation of {@code userId}, counted against {@code maxAllocations} over
     * the whole fleet. Costs at most one round trip to the store. Completes with
     * {@link LeaseOutcome#GRANTED} (the lease is held until {@link #releaseLease} or this relay's
     * heartbeat expires), {@link LeaseOutcome#REFUSED} (the user holds {@code maxAllocations} leases
     * already), or {@link LeaseOutcome#LOCAL} when the store cannot be reached in time: the caller then
     * applies its local quota, {@link #health()} turns degraded, and the lease is published when the
     * store returns. Never completes exceptionally.
     *
     * @param maxAllocations the user's limit, at least 1
     */
    CompletionStage<LeaseOutcome> acquireLease(String userId, String allocationId, int maxAllocations);

    /** Gives back the lease of one allocation that ended; unknown ids are ignored. Never blocks. */
    void releaseLease(String userId, String allocationId);

    /**
     * Revokes {@code userId} from now on: every relay of the fleet refuses its new Allocates and
     * Refreshes and closes its live allocations within 2 s, and credentials issued before now stop
     * working. Completes when the store has recorded it; completes exceptionally when the store cannot
     * be reached (a revocation must not be silently lost) or for {@link #NONE}.
     */
    CompletionStage<Void> revoke(String userId);

    /** When {@code userId} was revoked, from a local cache; empty when it was not. Never blocks. */
    Optional<Instant> revokedAt(String userId);

    /**
     * Whether credentials of {@code userId} that expire at {@code expiresAt} (empty: never) were issued before the
     * user's revocation and must be refused. A credential issued after it (the user logged in again) is not. From a
     * local cache; never blocks. The default refuses every credential of a revoked user; a fleet that knows the
     * credentials' lifetime refuses those whose expiry is no later than the revocation time plus that lifetime.
     */
    default boolean revokes(String userId, Optional<Instant> expiresAt) {
        return revokedAt(userId).isPresent();
    }

    /**
     * Calls {@code listener} with the user id each time this relay learns of a revocation (including
     * its own). Listeners run on the fleet's thread and must not block.
     */
    void onRevoke(Consumer<String> listener);

    /** Stops the heartbeat, deregisters this relay (if it joined) and releases its leases. Idempotent. */
    @Override
    void close();

    /**
     * Fleet type {@code none}: one relay alone, today's behaviour. Every lease is {@link LeaseOutcome#LOCAL},
     * {@link #liveRelays()} is empty, health is up, and {@link #revoke} fails because there is no store
     * to record it in. Stateless.
     */
    Fleet NONE = new StandaloneRelay();
}
