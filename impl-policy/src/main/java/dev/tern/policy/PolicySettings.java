package dev.tern.policy;

import dev.tern.spi.SettingChecks;

import dev.tern.spi.Bitrate;
import dev.tern.spi.Transport;
import dev.tern.spi.TurnPolicy;
import dev.tern.spi.InvalidSettingException;
import java.time.Duration;
import java.util.Set;

/**
 * The {@code set:} block of a rule (in the policy file and in the {@code ldap} source's rules): the
 * policy fields the rule sets, with the names of {@code policy.defaults}. Absent keys are left open.
 *
 * <p>Immutable and thread-safe. A negative limit, an empty transport list or a non-positive lifetime
 * is refused with {@link InvalidSettingException} naming the key; rules refuse a block that sets
 * nothing with {@link #requireSomething()}.
 *
 * @param forceRelay {@code force_relay}
 * @param turnAllowed {@code turn_allowed}
 * @param guestsAllowed {@code guests_allowed}
 * @param maxAllocations {@code max_allocations}
 * @param maxBitrate {@code max_bitrate}, like {@code 2M}
 * @param transports {@code transports}: {@code udp}, {@code tcp}, {@code tls}
 * @param maxCredentialLifetime {@code max_credential_lifetime}, like {@code 1h}
 */
public record PolicySettings(Boolean forceRelay, Boolean turnAllowed, Boolean guestsAllowed, Integer maxAllocations,
        Bitrate maxBitrate, Set<Transport> transports, Duration maxCredentialLifetime) {

    public PolicySettings {
        if (maxAllocations != null && maxAllocations < 0) {
            throw new InvalidSettingException("max_allocations", "must not be negative");
        }
        if (transports != null && transports.isEmpty()) {
            throw new InvalidSettingException("transports",
                    "must name at least one of udp, tcp, tls (set turn_allowed: false to deny TURN)");
        }
        maxCredentialLifetime = SettingChecks.positive("max_credential_lifetime", maxCredentialLifetime, null);
        transports = transports == null ? null : Set.copyOf(transports);
    }

    /**
     * Returns this block if it sets at least one field.
     *
     * @throws InvalidSettingException ({@code set}) when it sets none
     */
    public PolicySettings requireSomething() {
        if (toPolicy().isEmpty()) {
            throw new InvalidSettingException("set", "sets no field (expected at least one of force_relay, "
                    + "turn_allowed, guests_allowed, max_allocations, max_bitrate, transports, "
                    + "max_credential_lifetime)");
        }
        return this;
    }

    /** The fields set, as a policy. */
    public TurnPolicy toPolicy() {
        TurnPolicy.Builder b = TurnPolicy.builder();
        if (forceRelay != null) {
            b.forceRelay(forceRelay);
        }
        if (turnAllowed != null) {
            b.turnAllowed(turnAllowed);
        }
        if (guestsAllowed != null) {
            b.guestsAllowed(guestsAllowed);
        }
        if (maxAllocations != null) {
            b.maxAllocations(maxAllocations);
        }
        if (maxBitrate != null) {
            b.maxBitrate(maxBitrate);
        }
        if (transports != null) {
            b.transports(transports);
        }
        if (maxCredentialLifetime != null) {
            b.maxCredentialLifetime(maxCredentialLifetime);
        }
        return b.build();
    }

    /** A builder with no field set. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this block's fields, to build a changed copy. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Builds a {@link PolicySettings} by naming each field, for Java callers (config files bind the record
     * itself). A field not set, or set to {@code null}, is left open; {@link #build()} validates like binding
     * does and throws {@link InvalidSettingException} naming the key. Not thread-safe.
     */
    public static final class Builder {
        private Boolean forceRelay;
        private Boolean turnAllowed;
        private Boolean guestsAllowed;
        private Integer maxAllocations;
        private Bitrate maxBitrate;
        private Set<Transport> transports;
        private Duration maxCredentialLifetime;

        private Builder() {
        }

        private Builder(PolicySettings from) {
            forceRelay = from.forceRelay;
            turnAllowed = from.turnAllowed;
            guestsAllowed = from.guestsAllowed;
            maxAllocations = from.maxAllocations;
            maxBitrate = from.maxBitrate;
            transports = from.transports;
            maxCredentialLifetime = from.maxCredentialLifetime;
        }

        /** {@code force_relay}. */
        public Builder forceRelay(Boolean forceRelay) {
            this.forceRelay = forceRelay;
            return this;
        }

        /** {@code turn_allowed}. */
        public Builder turnAllowed(Boolean turnAllowed) {
            this.turnAllowed = turnAllowed;
            return this;
        }

        /** {@code guests_allowed}. */
        public Builder guestsAllowed(Boolean guestsAllowed) {
            this.guestsAllowed = guestsAllowed;
            return this;
        }

        /** {@code max_allocations}. */
        public Builder maxAllocations(Integer maxAllocations) {
            this.maxAllocations = maxAllocations;
            return this;
        }

        /** {@code max_bitrate}, like {@code 2M}. */
        public Builder maxBitrate(Bitrate maxBitrate) {
            this.maxBitrate = maxBitrate;
            return this;
        }

        /** {@code transports}: {@code udp}, {@code tcp}, {@code tls}. */
        public Builder transports(Set<Transport> transports) {
            this.transports = transports;
            return this;
        }

        /** {@code max_credential_lifetime}, like {@code 1h}. */
        public Builder maxCredentialLifetime(Duration maxCredentialLifetime) {
            this.maxCredentialLifetime = maxCredentialLifetime;
            return this;
        }

        /** The block, validated. */
        public PolicySettings build() {
            return new PolicySettings(forceRelay, turnAllowed, guestsAllowed, maxAllocations, maxBitrate, transports,
                    maxCredentialLifetime);
        }
    }
}
