package dev.tern.policy.file;

import dev.tern.policy.PolicySettings;
import dev.tern.spi.InvalidSettingException;

/**
 * One rule of a policy file: a name (shown by {@code policy explain}), a match and the fields it
 * sets.
 *
 * <p>Immutable and thread-safe. A rule without {@code set} is refused with
 * {@link InvalidSettingException}.
 *
 * @param name the rule's name; when absent, the reader names it {@code rules[i]}
 * @param match who the rule applies to; absent means everyone
 * @param set the fields the rule sets
 */
public record FileRule(String name, RuleMatch match, PolicySettings set) {

    public FileRule {
        match = match == null ? RuleMatch.EVERYONE : match;
        if (set == null) {
            throw new InvalidSettingException("set", "is missing (expected the policy fields this rule sets, like "
                    + "{ force_relay: true })");
        }
        set.requireSomething();
        if (name != null && name.isBlank()) {
            throw new InvalidSettingException("name", "must not be blank");
        }
    }

    FileRule named(String fallback) {
        return name == null ? new FileRule(fallback, match, set) : this;
    }
}
