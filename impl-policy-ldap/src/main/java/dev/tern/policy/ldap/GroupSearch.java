package dev.tern.policy.ldap;

import dev.tern.spi.SettingChecks;

import dev.tern.spi.InvalidSettingException;
import java.util.List;
import java.util.Set;

/**
 * The {@code group_search} block of the {@code ldap} source: find a user's groups by searching for
 * groups that list the user, for directories without {@code memberOf}.
 *
 * <pre>{@code
 * group_search: { base_dn: "ou=groups,dc=example,dc=org", filter: "(member={dn})", nested_depth: 1 }
 * group_search: { base_dn: "ou=groups,dc=example,dc=org", filter: "(memberUid={uid})" }   # posixGroup
 * }</pre>
 *
 * <p>Immutable and thread-safe. Every value is checked here; a bad one is an {@link InvalidSettingException}
 * naming the key.
 *
 * @param baseDn where groups live (required)
 * @param filter the group filter (default {@code (member={dn})}), with at least one placeholder, each value
 *     escaped: {@code {dn}} the user's DN (then a nested group's DN), {@code {uid}} the user entry's
 *     {@code uid} (for {@code posixGroup}'s {@code memberUid}), {@code {localpart}}, {@code {user_id}},
 *     {@code {server}}
 * @param nestedDepth how many levels of groups-in-groups to follow (default 0: direct membership only;
 *     at most 10; more than 0 needs {@code {dn}}, since a group is a member by its DN)
 */
public record GroupSearch(String baseDn, String filter, Integer nestedDepth) {

    /** The filter when none is given. */
    public static final String DEFAULT_FILTER = "(member={dn})";

    /** The placeholders {@code filter} may use. */
    public static final List<String> PLACEHOLDERS = List.of("dn", "uid", "localpart", "user_id", "server");

    public GroupSearch {
        if (baseDn == null || baseDn.isBlank()) {
            throw new InvalidSettingException("base_dn", "is required (expected the DN under which groups live)");
        }
        filter = filter == null ? DEFAULT_FILTER : filter;
        Set<String> used = Placeholders.check("filter", filter, PLACEHOLDERS);
        if (used.isEmpty()) {
            throw new InvalidSettingException("filter", "has no placeholder, so it would find the same groups for "
                    + "every user (expected " + Placeholders.describe(PLACEHOLDERS) + ", like " + DEFAULT_FILTER
                    + " or (memberUid={uid}) for posixGroup)");
        }
        nestedDepth = SettingChecks.within("nested_depth", nestedDepth, 0, 0, 10);
        if (nestedDepth > 0 && !used.contains("dn")) {
            throw new InvalidSettingException("nested_depth", "needs {dn} in filter: nested groups are found by "
                    + "the DN of the group they are in (use 0 with " + filter + ")");
        }
    }

    /** Whether the filter needs the user entry's {@code uid}. */
    boolean usesUid() {
        return filter.contains("{uid}");
    }
}
