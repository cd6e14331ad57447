package dev.tern.policy;

import dev.tern.spi.PolicyField;
import dev.tern.spi.TurnPolicy;
import dev.tern.spi.PolicyAnswer;
import java.util.EnumMap;
import java.util.Map;

/**
 * Builds a source's answer from rules taken in order, where the first matching rule decides each
 * field: a later rule only fills fields no earlier rule set. Both the {@code file} and the
 * {@code ldap} source answer this way.
 *
 * <p>Not thread-safe: one instance per evaluation.
 */
public final class FirstMatchAnswer {

    private final TurnPolicy.Builder policy = TurnPolicy.builder();
    private final Map<PolicyField, String> rules = new EnumMap<>(PolicyField.class);

    /** Takes the fields of a matching rule that no earlier rule set. */
    public FirstMatchAnswer add(String ruleName, TurnPolicy set) {
        set.forceRelay().filter(v -> absent(PolicyField.FORCE_RELAY, ruleName)).ifPresent(policy::forceRelay);
        set.turnAllowed().filter(v -> absent(PolicyField.TURN_ALLOWED, ruleName)).ifPresent(policy::turnAllowed);
        set.guestsAllowed().filter(v -> absent(PolicyField.GUESTS_ALLOWED, ruleName)).ifPresent(policy::guestsAllowed);
        if (set.maxAllocations().isPresent() && absent(PolicyField.MAX_ALLOCATIONS, ruleName)) {
            policy.maxAllocations(set.maxAllocations().getAsInt());
        }
        set.maxBitrate().filter(v -> absent(PolicyField.MAX_BITRATE, ruleName)).ifPresent(policy::maxBitrate);
        set.transports().filter(v -> absent(PolicyField.TRANSPORTS, ruleName)).ifPresent(policy::transports);
        set.maxCredentialLifetime().filter(v -> absent(PolicyField.MAX_CREDENTIAL_LIFETIME, ruleName))
                .ifPresent(policy::maxCredentialLifetime);
        return this;
    }

    /** Whether every field is decided, so later rules cannot change anything. */
    public boolean complete() {
        return rules.size() == PolicyField.values().length;
    }

    /** The answer so far. */
    public PolicyAnswer build() {
        return new PolicyAnswer(policy.build(), rules);
    }

    private boolean absent(PolicyField field, String ruleName) {
        return rules.putIfAbsent(field, ruleName) == null;
    }
}
