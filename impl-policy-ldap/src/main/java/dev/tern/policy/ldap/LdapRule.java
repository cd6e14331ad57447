package dev.tern.policy.ldap;

import dev.tern.policy.PolicySettings;
import dev.tern.spi.InvalidSettingException;
import java.util.List;
import java.util.Locale;

/**
 * One rule of the {@code ldap} source: a group or an attribute value, and the policy fields it sets.
 * Exactly one of {@code group} and {@code attribute} is given.
 *
 * <pre>{@code
 * rules:
 *   - name: staff-relay
 *     group: staff                      # a group DN, or the value of its first RDN
 *     set: { force_relay: true }
 *   - name: contractors
 *     attribute: employeeType
 *     values: [contractor, temp]        # any of these (case-insensitive); absent = attribute present
 *     set: { turn_allowed: false }
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param name shown by {@code policy explain}; default {@code group <group>} or
 *     {@code <attribute>=<values>}
 * @param group the group the user must be in
 * @param attribute the user entry's attribute to look at
 * @param values the attribute values that match
 * @param set the fields the rule sets
 */
public record LdapRule(String name, String group, String attribute, List<String> values, PolicySettings set) {

    public LdapRule {
        if ((group == null) == (attribute == null)) {
            throw new InvalidSettingException("group", "give exactly one of group or attribute per rule");
        }
        if (set == null) {
            throw new InvalidSettingException("set", "is missing (expected the policy fields this rule sets)");
        }
        set.requireSomething();
        if (values != null && group != null) {
            throw new InvalidSettingException("values", "only goes with attribute, not with group");
        }
        values = values == null ? List.of() : List.copyOf(values);
        if (name == null) {
            name = group != null ? "group " + group
                    : attribute + (values.isEmpty() ? " present" : "=" + String.join("|", values));
        }
    }

    /** Whether this rule applies to the user. */
    boolean matches(LdapUser user) {
        if (group != null) {
            return user.groups().contains(group);
        }
        List<String> present = user.attributes().getOrDefault(attribute.toLowerCase(Locale.ROOT), List.of());
        return values.isEmpty() ? !present.isEmpty()
                : present.stream().anyMatch(v -> values.stream().anyMatch(v::equalsIgnoreCase));
    }
}
