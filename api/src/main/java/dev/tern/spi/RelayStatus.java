package dev.tern.spi;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One relay as its last heartbeat described it.
 *
 * <p>Immutable and thread-safe. Null components throw {@link NullPointerException}; a blank id or a
 * negative count throws {@link IllegalArgumentException}.
 *
 * @param relayId the relay's id in the fleet
 * @param uris the public {@code turn:}/{@code turns:} URIs clients reach it at, one per transport
 * @param dataPlane the data plane forwarding its channels ({@code user} or {@code kernel})
 * @param load how much it takes and carries
 * @param draining whether it refuses new allocations to let a restart happen
 * @param seenAt when this status was published
 */
public record RelayStatus(String relayId, List<URI> uris, String dataPlane, Load load, boolean draining,
        Instant seenAt) {

    public RelayStatus {
        Objects.requireNonNull(relayId, "relayId");
        if (relayId.isBlank()) {
            throw new IllegalArgumentException("relayId must not be blank");
        }
        uris = List.copyOf(uris);
        Objects.requireNonNull(dataPlane, "dataPlane");
        Objects.requireNonNull(load, "load");
        Objects.requireNonNull(seenAt, "seenAt");
    }

    /**
     * How much a relay takes and carries, as its heartbeat said: what a fleet balances on.
     *
     * <p>Immutable and thread-safe; a negative count throws {@link IllegalArgumentException}.
     *
     * @param capacity how many allocations it takes at most ({@code 0} when unlimited)
     * @param allocations its live allocations
     * @param relayedBitsPerSecond what it relays now, both directions together
     */
    public record Load(int capacity, int allocations, long relayedBitsPerSecond) {

        /** A relay with no limit, carrying nothing: one that has just started. */
        public static final Load IDLE = new Load(0, 0, 0);

        public Load {
            if (capacity < 0 || allocations < 0 || relayedBitsPerSecond < 0) {
                throw new IllegalArgumentException(
                        "capacity, allocations and relayedBitsPerSecond must not be negative");
            }
        }
    }
}
