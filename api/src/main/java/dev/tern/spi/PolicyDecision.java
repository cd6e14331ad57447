package dev.tern.spi;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The policy that applies to a subject after every source has been asked and merged, with the
 * source and rule that decided each field: what {@code tern policy explain} prints.
 *
 * <p>Immutable and thread-safe. The policy engine always answers the three booleans (by a source or by the
 * defaults), and the accessors read an unanswered one as the permissive value; limits may stay open, meaning
 * unlimited. A provenance must be given for exactly the answered fields, else {@link IllegalArgumentException}.
 *
 * @param policy the merged policy
 * @param provenance for each answered field, where its value came from
 */
public record PolicyDecision(TurnPolicy policy, Map<PolicyField, Provenance> provenance) {

    /** The decision when nothing is configured: TURN allowed for everyone, relaying not forced. */
    public static final PolicyDecision PERMISSIVE = new PolicyDecision(
            TurnPolicy.builder().forceRelay(false).turnAllowed(true).guestsAllowed(true).build(),
            Map.of(PolicyField.FORCE_RELAY, Provenance.DEFAULTS, PolicyField.TURN_ALLOWED, Provenance.DEFAULTS,
                    PolicyField.GUESTS_ALLOWED, Provenance.DEFAULTS));

    public PolicyDecision {
        Objects.requireNonNull(policy, "policy");
        EnumMap<PolicyField, Provenance> copy = new EnumMap<>(PolicyField.class);
        copy.putAll(provenance);
        provenance = Collections.unmodifiableMap(copy);
        for (PolicyField field : PolicyField.values()) {
            if (field.valueIn(policy).isPresent() != copy.containsKey(field)) {
                throw new IllegalArgumentException("provenance must be given for exactly the answered fields; "
                        + field.configKey() + " does not match");
            }
        }
    }

    /** Whether clients must relay all media. Unanswered means {@code false}. */
    public boolean forceRelay() {
        return policy.forceRelay().orElse(false);
    }

    /** Whether the subject may get TURN credentials. Unanswered means {@code true}. */
    public boolean turnAllowed() {
        return policy.turnAllowed().orElse(true);
    }

    /** Whether guests may get TURN credentials. Unanswered means {@code true}. */
    public boolean guestsAllowed() {
        return policy.guestsAllowed().orElse(true);
    }

    /** The most concurrent allocations, if limited. */
    public OptionalInt maxAllocations() {
        return policy.maxAllocations();
    }

    /** The highest rate per allocation, if limited. */
    public Optional<Bitrate> maxBitrate() {
        return policy.maxBitrate();
    }

    /** The client transports allowed, if restricted. */
    public Optional<Set<Transport>> transports() {
        return policy.transports();
    }

    /** The longest credential lifetime, if capped. */
    public Optional<Duration> maxCredentialLifetime() {
        return policy.maxCredentialLifetime();
    }

    /** Where the given field's value came from, if the field is answered. */
    public Optional<Provenance> provenanceOf(PolicyField field) {
        return Optional.ofNullable(provenance.get(field));
    }
}
