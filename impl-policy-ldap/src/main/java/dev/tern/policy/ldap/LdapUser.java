package dev.tern.policy.ldap;

import dev.tern.spi.GroupMembership;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the directory said about one Matrix user: the entry's DN if one was found, its groups and
 * the attributes the rules look at (names in lower case).
 *
 * <p>Immutable and thread-safe.
 *
 * @param dn the user's entry, empty when no entry matched the user filter
 * @param groups the groups the user is in
 * @param attributes the values of the attributes rules look at, keyed by lower-case name
 */
record LdapUser(Optional<String> dn, GroupMembership groups, Map<String, List<String>> attributes) {

    static final LdapUser NOT_FOUND = new LdapUser(Optional.empty(), GroupMembership.NONE, Map.of());

    LdapUser {
        attributes = Map.copyOf(attributes);
    }

    boolean found() {
        return dn.isPresent();
    }
}
