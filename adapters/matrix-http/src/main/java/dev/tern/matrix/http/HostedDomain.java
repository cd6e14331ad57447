package dev.tern.matrix.http;

import dev.tern.spi.InvalidSettingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One entry of {@code matrix.domains}: a homeserver domain this Tern also serves, for hosting providers that run
 * one Tern in front of several homeservers.
 *
 * <pre>{@code
 * domains:
 *   - server_name: b.example                          # the Matrix server name (the part after ':' in user ids)
 *     hosts: ["b.example", "matrix.b.example"]        # Host header values that get this domain's well-known
 *                                                     #   (default: the server name without its port)
 *     well_known: { m.homeserver: { base_url: "https://matrix.b.example" } }
 *     force_relay: true                               # force relay for everyone of this domain (default false)
 * }</pre>
 *
 * <p>{@code force_relay: true} puts {@code "im.vector.riot.forceTurn": true} into this domain's well-known and
 * {@code "dev.tern.force_relay": true} into the {@code /voip/turnServer} answer of each of its users. {@code false}
 * (or absent) leaves both to the policy: it cannot lift what the policy forces, the most restrictive answer wins.
 *
 * <p>Immutable and thread-safe. A bad value throws {@link InvalidSettingException} naming the key.
 *
 * @param serverName the Matrix server name, like {@code b.example} or {@code b.example:8448} (required)
 * @param hosts lower-case host names, without port, that select this domain by the request's {@code Host}
 * @param wellKnown this domain's {@code /.well-known/matrix/client} document ({@code m.homeserver.base_url}
 *     required)
 * @param forceRelay whether everyone of this domain must relay, whatever the policy says
 */
public record HostedDomain(String serverName, List<String> hosts, Map<String, Object> wellKnown, Boolean forceRelay) {

    public HostedDomain {
        if (serverName == null || serverName.isBlank() || !serverName.strip().equals(serverName)
                || serverName.contains("/") || serverName.contains("@") || serverName.startsWith(":")) {
            throw new InvalidSettingException("server_name", "is required: a Matrix server name like b.example or "
                    + "b.example:8448 (the part of its user ids after ':')");
        }
        if (hosts == null || hosts.isEmpty()) {
            hosts = List.of(hostOf(serverName));
        }
        List<String> normal = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            String host = hosts.get(i) == null ? "" : hosts.get(i).strip().toLowerCase(Locale.ROOT);
            if (host.endsWith(".")) {
                host = host.substring(0, host.length() - 1);
            }
            if (!host.matches("[a-z0-9.-]+|\\[[0-9a-f:.]+\\]")) {
                throw new InvalidSettingException("hosts[" + i + "]", "'" + hosts.get(i) + "' is not a host name "
                        + "without port, like matrix.b.example (matched against the request's Host header)");
            }
            normal.add(host);
        }
        hosts = List.copyOf(normal);
        wellKnown = WellKnownDocument.validate("well_known", wellKnown);
        forceRelay = forceRelay != null && forceRelay;
    }

    /** The host part of a server name or Host header value: lower case, without port and trailing dot. */
    static String hostOf(String authority) {
        String s = authority.strip().toLowerCase(Locale.ROOT);
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            return end < 0 ? s : s.substring(0, end + 1);
        }
        int colon = s.indexOf(':');
        if (colon >= 0) {
            s = s.substring(0, colon);
        }
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
