package dev.tern.spi;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The groups a user belongs to, as LDAP distinguished names. A group named in config matches when
 * it is one of these DNs (compared without regard to case or to spaces around commas and equals signs) or the
 * value of a DN's first RDN, so {@code staff} matches {@code cn=staff,ou=groups,dc=example,dc=org}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param dns the group DNs
 */
public record GroupMembership(Set<String> dns) {

    /** No group. */
    public static final GroupMembership NONE = new GroupMembership(Set.of());

    public GroupMembership {
        dns = Set.copyOf(dns);
    }

    /** Whether the user is in the group named by DN or by its first RDN value. */
    public boolean contains(String group) {
        String wanted = normalize(group);
        for (String dn : dns) {
            String have = normalize(dn);
            if (have.equals(wanted) || firstRdnValue(have).equals(wanted)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the user is in any of the named groups. */
    public boolean containsAny(Iterable<String> groups) {
        for (String group : groups) {
            if (contains(group)) {
                return true;
            }
        }
        return false;
    }

    /** The groups of both. */
    public GroupMembership union(GroupMembership other) {
        Set<String> all = new HashSet<>(dns);
        all.addAll(other.dns);
        return new GroupMembership(all);
    }

    private static String normalize(String dn) {
        return dn.trim().toLowerCase(Locale.ROOT).replaceAll("\\s*,\\s*", ",").replaceAll("\\s*=\\s*", "=");
    }

    private static String firstRdnValue(String normalizedDn) {
        int comma = normalizedDn.indexOf(',');
        String rdn = comma < 0 ? normalizedDn : normalizedDn.substring(0, comma);
        int equals = rdn.indexOf('=');
        return equals < 0 ? rdn : rdn.substring(equals + 1);
    }
}
