package dev.tern.spi;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one policy source says about a subject: the fields it answers and, for each, the name of the
 * rule that set it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param policy the fields this source answers
 * @param rules for each answered field, the source's rule that set it
 */
public record PolicyAnswer(TurnPolicy policy, Map<PolicyField, String> rules) {

    /** The answer of a source with nothing to say. */
    public static final PolicyAnswer NONE = new PolicyAnswer(TurnPolicy.EMPTY, Map.of());

    public PolicyAnswer {
        Objects.requireNonNull(policy, "policy");
        EnumMap<PolicyField, String> copy = new EnumMap<>(PolicyField.class);
        copy.putAll(rules);
        rules = Collections.unmodifiableMap(copy);
        for (PolicyField field : PolicyField.values()) {
            if (field.valueIn(policy).isPresent() != copy.containsKey(field)) {
                throw new IllegalArgumentException("a rule name must be given for exactly the answered fields; "
                        + field.configKey() + " does not match");
            }
        }
    }

    /** An answer in which one rule set every answered field. */
    public static PolicyAnswer byRule(String rule, TurnPolicy policy) {
        EnumMap<PolicyField, String> rules = new EnumMap<>(PolicyField.class);
        for (PolicyField field : PolicyField.values()) {
            if (field.valueIn(policy).isPresent()) {
                rules.put(field, rule);
            }
        }
        return new PolicyAnswer(policy, rules);
    }
}
