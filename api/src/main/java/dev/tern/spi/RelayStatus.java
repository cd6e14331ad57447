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
 * @param setup how it is set up: its data plane and the nonce key it signs with
 * @param load how much it takes and carries
 * @param draining whether it refuses new allocations to let a restart happen
 * @param seenAt when this status was published
 */
public record RelayStatus(String relayId, List<URI> uris, Setup setup, Load load, boolean draining,
        Instant seenAt) {

    public RelayStatus {
        Objects.requireNonNull(relayId, "relayId");
        if (relayId.isBlank()) {
            throw new IllegalArgumentException("relayId must not be blank");
        }
        uris = List.copyOf(uris);
        Objects.requireNonNull(setup, "setup");
        Objects.requireNonNull(load, "load");
        Objects.requireNonNull(seenAt, "seenAt");
    }

    /** The data plane forwarding its channels ({@code user} or {@code kernel}), as {@link Setup#dataPlane()}. */
    public String dataPlane() {
        return setup.dataPlane();
    }

    /**
     * How a relay is set up, as far as the other relays of its fleet must agree with it.
     *
     * <p>Immutable and thread-safe. Null components throw {@link NullPointerException}; a digest that is not 16
     * lower-case hex digits (or empty for {@link NonceKeyOrigin#UNKNOWN}) throws {@link IllegalArgumentException}.
     *
     * @param dataPlane the data plane forwarding its channels ({@code user} or {@code kernel})
     * @param nonceKeyDigest the digest of the key it signs nonces with (HMAC-SHA256 of a fixed label under the key,
     *     first 8 bytes, hex; never the key), empty when not known: relays with equal digests accept each other's
     *     nonces, which a browser following a 300 Try Alternate needs
     * @param nonceKeyOrigin where that key came from
     */
    public record Setup(String dataPlane, String nonceKeyDigest, NonceKeyOrigin nonceKeyOrigin) {

        public Setup {
            Objects.requireNonNull(dataPlane, "dataPlane");
            Objects.requireNonNull(nonceKeyDigest, "nonceKeyDigest");
            Objects.requireNonNull(nonceKeyOrigin, "nonceKeyOrigin");
            if (nonceKeyOrigin == NonceKeyOrigin.UNKNOWN ? !nonceKeyDigest.isEmpty()
                    : !nonceKeyDigest.matches("[0-9a-f]{16}")) {
                throw new IllegalArgumentException("nonceKeyDigest must be 16 lower-case hex digits, or empty when "
                        + "its origin is unknown");
            }
        }

        /** A relay on the given data plane whose nonce key is not known (a heartbeat of an older relay). */
        public static Setup unknownKey(String dataPlane) {
            return new Setup(dataPlane, "", NonceKeyOrigin.UNKNOWN);
        }
    }

    /** Where a relay's nonce key came from. */
    public enum NonceKeyOrigin {
        /** {@code relay.nonce_key} in its config. */
        CONFIGURED,
        /** The key its fleet shares, created by the first relay of the fleet to start. */
        FLEET,
        /** A random key of its own: it had no key configured and its fleet's store could not be read at start. */
        OWN,
        /** Not said (a relay without a fleet, or a heartbeat of an older relay). */
        UNKNOWN
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
