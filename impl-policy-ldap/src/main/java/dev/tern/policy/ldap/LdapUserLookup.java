package dev.tern.policy.ldap;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import dev.tern.spi.Subject;
import dev.tern.spi.GroupMembership;
import dev.tern.spi.InvalidSettingException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds a Matrix user in the directory: the entry matching {@code user_filter} (with the
 * placeholders' values escaped by {@link Filter#encodeValue}, so a localpart like {@code *)(uid=*}
 * matches nobody instead of everybody), its groups (from {@code memberOf}, or by a group search that
 * may follow nested groups), and the attributes the rules read.
 *
 * <p>Identity: the source looks up only users of {@code server_names}, and the localpart is case-sensitive
 * as in Matrix: every attribute the filter compares to {@code {localpart}}
 * alone ({@code (uid={localpart})}) must hold it with the same case, though LDAP's equality match on it
 * ignores case, so {@code @Alice:example.org} is not {@code uid=alice}.
 *
 * <p>Thread-safe (the pool is). Blocking: call it on the source's own executor, never on a caller's
 * thread. Throws {@link LDAPException} when the directory cannot answer, and when the filter matches
 * more than one entry (an ambiguous mapping is a config error, not an unknown user).
 */
final class LdapUserLookup {

    private static final String UID = "uid";
    private static final Pattern EXACT_LOCALPART = Pattern.compile("\\(\\s*([A-Za-z][A-Za-z0-9-]*)\\s*=\\{localpart}\\s*\\)");

    private final LdapSourceConfig config;
    private final LDAPConnectionPool pool;
    private final String[] requestedAttributes;
    private final List<String> exactLocalpartAttributes;
    private final int timeLimitSeconds;

    LdapUserLookup(LdapSourceConfig config, LDAPConnectionPool pool) {
        this.config = config;
        this.pool = pool;
        Set<String> attributes = new LinkedHashSet<>();
        if (config.groupSearch() == null) {
            attributes.add(config.memberOfAttribute());
        }
        config.rules().stream().filter(r -> r.attribute() != null).forEach(r -> attributes.add(r.attribute()));
        this.exactLocalpartAttributes = exactLocalpartAttributes(config.userFilter());
        attributes.addAll(exactLocalpartAttributes);
        if (config.groupSearch() != null && config.groupSearch().usesUid()) {
            attributes.add(UID);
        }
        if (attributes.isEmpty()) {
            attributes.add("1.1"); // no attributes, just the DN
        }
        this.requestedAttributes = attributes.toArray(String[]::new);
        this.timeLimitSeconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, config.responseTimeout().toSeconds()));
        try {
            Filter.create(userFilter(Subject.user("@check:example.org")));
        } catch (LDAPException e) {
            throw new InvalidSettingException("user_filter", "is not a valid LDAP filter: " + e.getDiagnosticMessage());
        }
        if (config.groupSearch() != null) {
            try {
                Filter.create(groupFilter(Subject.user("@check:example.org"), "cn=check", "check"));
            } catch (LDAPException e) {
                throw new InvalidSettingException("group_search.filter", "is not a valid LDAP filter: "
                        + e.getDiagnosticMessage());
            }
        }
    }

    /** The attributes {@code filter} compares to {@code {localpart}} alone, like {@code uid} in {@code (uid={localpart})}. */
    static List<String> exactLocalpartAttributes(String filter) {
        List<String> names = new ArrayList<>();
        Matcher m = EXACT_LOCALPART.matcher(filter);
        while (m.find()) {
            names.add(m.group(1));
        }
        return List.copyOf(names);
    }

    /** The filter for this subject, with every placeholder value escaped. */
    String userFilter(Subject subject) {
        return config.userFilter()
                .replace("{localpart}", Filter.encodeValue(subject.localpart()))
                .replace("{user_id}", Filter.encodeValue(subject.userId()))
                .replace("{server}", Filter.encodeValue(subject.serverName()));
    }

    /** The group filter for this user (and, when nesting, this group's DN), with every placeholder value escaped. */
    private String groupFilter(Subject subject, String memberDn, String uid) {
        return config.groupSearch().filter()
                .replace("{dn}", Filter.encodeValue(memberDn))
                .replace("{uid}", uid == null ? "" : Filter.encodeValue(uid))
                .replace("{localpart}", Filter.encodeValue(subject.localpart()))
                .replace("{user_id}", Filter.encodeValue(subject.userId()))
                .replace("{server}", Filter.encodeValue(subject.serverName()));
    }

    /** Looks the user up (of one of {@code server_names}): unknown when the localpart's case differs. */
    LdapUser lookup(Subject subject) throws LDAPException {
        SearchRequest request = new SearchRequest(config.baseDn(), SearchScope.SUB, Filter.create(userFilter(subject)),
                requestedAttributes);
        request.setSizeLimit(2);
        request.setTimeLimitSeconds(timeLimitSeconds);
        SearchResult result = pool.search(request);
        List<SearchResultEntry> entries = result.getSearchEntries();
        if (entries.isEmpty()) {
            return LdapUser.NOT_FOUND;
        }
        if (entries.size() > 1) {
            throw new LDAPException(com.unboundid.ldap.sdk.ResultCode.SIZE_LIMIT_EXCEEDED,
                    "user_filter matches more than one entry for this user");
        }
        SearchResultEntry entry = entries.get(0);
        for (String attribute : exactLocalpartAttributes) {
            String[] values = entry.getAttributeValues(attribute);
            if (values == null || !List.of(values).contains(subject.localpart())) {
                return LdapUser.NOT_FOUND; // LDAP matched without case; the Matrix localpart differs in case
            }
        }
        Map<String, List<String>> attributes = new HashMap<>();
        for (LdapRule rule : config.rules()) {
            if (rule.attribute() != null) {
                String[] values = entry.getAttributeValues(rule.attribute());
                attributes.put(rule.attribute().toLowerCase(Locale.ROOT), values == null ? List.of() : List.of(values));
            }
        }
        return new LdapUser(Optional.of(entry.getDN()), groupsOf(subject, entry), attributes);
    }

    private GroupMembership groupsOf(Subject subject, SearchResultEntry entry) throws LDAPException {
        GroupSearch search = config.groupSearch();
        if (search == null) {
            String[] dns = entry.getAttributeValues(config.memberOfAttribute());
            return new GroupMembership(dns == null ? Set.of() : Set.of(dns));
        }
        String uid = null;
        if (search.usesUid()) {
            String[] uids = entry.getAttributeValues(UID);
            if (uids == null) {
                return GroupMembership.NONE; // no uid to look for in memberUid
            }
            uid = List.of(uids).contains(subject.localpart()) ? subject.localpart() : uids[0];
        }
        Set<String> found = new LinkedHashSet<>();
        Set<DN> seen = new java.util.HashSet<>();
        Deque<String> level = new ArrayDeque<>(List.of(entry.getDN()));
        for (int depth = 0; depth <= search.nestedDepth() && !level.isEmpty(); depth++) {
            List<String> next = new ArrayList<>();
            for (String member : level) {
                SearchRequest request = new SearchRequest(search.baseDn(), SearchScope.SUB,
                        Filter.create(groupFilter(subject, member, uid)), "1.1");
                request.setTimeLimitSeconds(timeLimitSeconds);
                for (SearchResultEntry group : pool.search(request).getSearchEntries()) {
                    if (seen.add(group.getParsedDN())) {
                        found.add(group.getDN());
                        next.add(group.getDN());
                    }
                }
            }
            level = new ArrayDeque<>(next);
        }
        return new GroupMembership(found);
    }
}
