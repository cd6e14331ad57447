package dev.tern.policy.ldap;

import dev.tern.spi.InvalidSettingException;

/**
 * The {@code group_search} block of the {@code ldap} source: find a user's groups by searching for
 * groups that list the user, for directories without {@code memberOf}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param baseDn where groups live (required)
 * @param filter the group filter; {@code {dn}} is replaced by the user's DN, escaped (default
 *     {@code (member={dn})})
 * @param nestedDepth how many levels of groups-in-groups to follow (default 0: direct membership only;
 *     at most 10)
 */
public record GroupSearch(String baseDn, String filter, Integer nestedDepth) {

    /** The filter when none is given. */
    public static final String DEFAULT_FILTER = "(member={dn})";

    public GroupSearch {
        if (baseDn == null || baseDn.isBlank()) {
            throw new InvalidSettingException("base_dn", "is required (expected the DN under which groups live)");
        }
        filter = filter == null ? DEFAULT_FILTER : filter;
        if (!filter.contains("{dn}")) {
            throw new InvalidSettingException("filter", "must contain {dn}, the user's DN, like (member={dn})");
        }
        nestedDepth = nestedDepth == null ? 0 : nestedDepth;
        if (nestedDepth < 0 || nestedDepth > 10) {
            throw new InvalidSettingException("nested_depth", "must be between 0 and 10");
        }
    }
}
