package dev.tern.spi;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What applies to one user's use of TURN. Every field is optional: a policy source answers the
 * fields it knows and leaves the others open, and sources are merged field by field (see
 * {@link PolicyField} for the names used in config).
 *
 * <p>Immutable and thread-safe. {@code maxAllocations} must not be negative, {@code maxCredentialLifetime} must be
 * positive, and the transport set must not be empty when present (use {@code turnAllowed = false} to deny TURN):
 * anything else throws {@link IllegalArgumentException}, a null component {@link NullPointerException}.
 *
 * @param forceRelay clients must relay all media (MSC4096 {@code im.vector.riot.forceTurn})
 * @param turnAllowed the user may get TURN credentials at all
 * @param guestsAllowed guest accounts may get TURN credentials
 * @param maxAllocations the most concurrent relay allocations one user may hold
 * @param maxBitrate the highest rate one allocation may relay in each direction (client to peers, peers to client:
 *     two budgets, each at this rate)
 * @param transports the client transports the user may reach the relay with
 * @param maxCredentialLifetime the longest lifetime of credentials issued to the user
 */
public record TurnPolicy(
        Optional<Boolean> forceRelay,
        Optional<Boolean> turnAllowed,
        Optional<Boolean> guestsAllowed,
        OptionalInt maxAllocations,
        Optional<Bitrate> maxBitrate,
        Optional<Set<Transport>> transports,
        Optional<Duration> maxCredentialLifetime) {

    /** A policy that answers nothing. */
    public static final TurnPolicy EMPTY = new TurnPolicy(Optional.empty(), Optional.empty(), Optional.empty(),
            OptionalInt.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    public TurnPolicy {
        Objects.requireNonNull(forceRelay, "forceRelay");
        Objects.requireNonNull(turnAllowed, "turnAllowed");
        Objects.requireNonNull(guestsAllowed, "guestsAllowed");
        Objects.requireNonNull(maxAllocations, "maxAllocations");
        Objects.requireNonNull(maxBitrate, "maxBitrate");
        Objects.requireNonNull(transports, "transports");
        Objects.requireNonNull(maxCredentialLifetime, "maxCredentialLifetime");
        if (maxAllocations.isPresent() && maxAllocations.getAsInt() < 0) {
            throw new IllegalArgumentException("max_allocations must not be negative");
        }
        if (transports.isPresent()) {
            if (transports.get().isEmpty()) {
                throw new IllegalArgumentException("transports must not be empty (set turn_allowed: false to deny TURN)");
            }
            transports = Optional.of(Set.copyOf(EnumSet.copyOf(transports.get())));
        }
        if (maxCredentialLifetime.isPresent()
                && (maxCredentialLifetime.get().isNegative() || maxCredentialLifetime.get().isZero())) {
            throw new IllegalArgumentException("max_credential_lifetime must be positive");
        }
    }

    /** A builder starting from no answers. */
    public static Builder builder() {
        return new Builder(EMPTY);
    }

    /** A builder starting from this policy's answers. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Whether this policy answers no field at all. */
    public boolean isEmpty() {
        return equals(EMPTY);
    }

    /** Builds a {@link TurnPolicy}; not thread-safe. */
    public static final class Builder {
        private Optional<Boolean> forceRelay;
        private Optional<Boolean> turnAllowed;
        private Optional<Boolean> guestsAllowed;
        private OptionalInt maxAllocations;
        private Optional<Bitrate> maxBitrate;
        private Optional<Set<Transport>> transports;
        private Optional<Duration> maxCredentialLifetime;

        private Builder(TurnPolicy from) {
            forceRelay = from.forceRelay;
            turnAllowed = from.turnAllowed;
            guestsAllowed = from.guestsAllowed;
            maxAllocations = from.maxAllocations;
            maxBitrate = from.maxBitrate;
            transports = from.transports;
            maxCredentialLifetime = from.maxCredentialLifetime;
        }

        public Builder forceRelay(boolean value) {
            forceRelay = Optional.of(value);
            return this;
        }

        public Builder turnAllowed(boolean value) {
            turnAllowed = Optional.of(value);
            return this;
        }

        public Builder guestsAllowed(boolean value) {
            guestsAllowed = Optional.of(value);
            return this;
        }

        public Builder maxAllocations(int value) {
            maxAllocations = OptionalInt.of(value);
            return this;
        }

        public Builder maxBitrate(Bitrate value) {
            maxBitrate = Optional.of(value);
            return this;
        }

        public Builder transports(Set<Transport> value) {
            transports = Optional.of(value);
            return this;
        }

        public Builder maxCredentialLifetime(Duration value) {
            maxCredentialLifetime = Optional.of(value);
            return this;
        }

        public TurnPolicy build() {
            return new TurnPolicy(forceRelay, turnAllowed, guestsAllowed, maxAllocations, maxBitrate, transports,
                    maxCredentialLifetime);
        }
    }
}
