package dev.tern.policy.file;

import dev.tern.spi.Subject;
import dev.tern.spi.GroupMembership;
import dev.tern.spi.AddressRange;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * The {@code match:} block of a policy file rule. Every condition given must hold (AND); inside a
 * list, any entry may match (OR). An absent or empty block matches everyone.
 *
 * <ul>
 *   <li>{@code users}: user id patterns (exact, glob, {@code re:} regex; see {@link NamePattern});</li>
 *   <li>{@code servers}: patterns for the server part of the user id;</li>
 *   <li>{@code guest}: {@code true} matches guests only, {@code false} non-guests only;</li>
 *   <li>{@code networks}: the client's address is known and inside one of these address ranges (CIDR blocks,
 *       single addresses or {@code a-b} ranges, see {@link AddressRange});</li>
 *   <li>{@code not_networks}: the client's address is not known to be inside any of these (an
 *       unknown address matches, which is the safer side for "outside the office" rules);</li>
 *   <li>{@code groups}: the user is in one of these groups (DN or first RDN value) as an LDAP source
 *       found; a source with such a rule and no source that knows groups is refused at start.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public record RuleMatch(List<NamePattern> users, List<NamePattern> servers, Boolean guest, List<AddressRange> networks,
        List<AddressRange> notNetworks, List<String> groups) {

    /** Matches everyone. */
    public static final RuleMatch EVERYONE = new RuleMatch(null, null, null, null, null, null);

    public RuleMatch {
        users = users == null ? List.of() : List.copyOf(users);
        servers = servers == null ? List.of() : List.copyOf(servers);
        networks = networks == null ? List.of() : List.copyOf(networks);
        notNetworks = notNetworks == null ? List.of() : List.copyOf(notNetworks);
        groups = groups == null ? List.of() : List.copyOf(groups);
    }

    /** Whether the subject, with these groups, meets every condition. */
    public boolean matches(Subject subject, GroupMembership membership) {
        if (!users.isEmpty() && users.stream().noneMatch(p -> p.matches(subject.userId()))) {
            return false;
        }
        if (!servers.isEmpty() && servers.stream().noneMatch(p -> p.matches(subject.serverName()))) {
            return false;
        }
        if (guest != null && guest != subject.guest()) {
            return false;
        }
        Optional<InetAddress> address = subject.remoteAddress();
        if (!networks.isEmpty() && (address.isEmpty() || networks.stream().noneMatch(n -> n.contains(address.get())))) {
            return false;
        }
        if (address.isPresent() && notNetworks.stream().anyMatch(n -> n.contains(address.get()))) {
            return false;
        }
        return groups.isEmpty() || membership.containsAny(groups);
    }

    /**
     * Whether this match holds for every user of the given server: it has no condition on who the
     * user is or where they are, other than a {@code servers} list naming this server.
     */
    public boolean appliesToEveryone(String serverName) {
        return users.isEmpty() && guest == null && networks.isEmpty() && notNetworks.isEmpty() && groups.isEmpty()
                && (servers.isEmpty() || servers.stream().anyMatch(p -> p.matches(serverName)));
    }

    /** Whether matching needs the user's groups. */
    public boolean needsGroups() {
        return !groups.isEmpty();
    }
}
