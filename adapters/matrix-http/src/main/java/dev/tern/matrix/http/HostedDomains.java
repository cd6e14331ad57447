package dev.tern.matrix.http;

import dev.tern.spi.InvalidSettingException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the {@link HostedDomain} a request is for: a well-known request by its {@code Host} header (or, from a
 * trusted proxy, {@code X-Forwarded-Host}), a user by the server name of their user id. A request for a host no
 * domain lists gets the default domain (the top-level {@code well_known}), which keeps a single-domain setup, a
 * request without {@code Host} and a proxy that rewrites {@code Host} working as before.
 *
 * <p>Immutable and thread-safe; lookups are hash-map reads.
 */
final class HostedDomains {

    private final Map<String, HostedDomain> byHost;
    private final Map<String, HostedDomain> byServerName;

    private HostedDomains(Map<String, HostedDomain> byHost, Map<String, HostedDomain> byServerName) {
        this.byHost = Map.copyOf(byHost);
        this.byServerName = Map.copyOf(byServerName);
    }

    /**
     * The domains, checked: no server name or host twice.
     *
     * @throws InvalidSettingException naming {@code domains[i].server_name} or {@code domains[i].hosts[j]}
     */
    static HostedDomains of(List<HostedDomain> domains) {
        Map<String, HostedDomain> byHost = new HashMap<>();
        Map<String, HostedDomain> byServerName = new HashMap<>();
        for (int i = 0; i < domains.size(); i++) {
            HostedDomain domain = domains.get(i);
            if (domain == null) {
                throw new InvalidSettingException("domains[" + i + "]", "is empty; expected {server_name: ..., well_known: ...}");
            }
            if (byServerName.putIfAbsent(domain.serverName(), domain) != null) {
                throw new InvalidSettingException("domains[" + i + "].server_name", "'" + domain.serverName()
                        + "' is listed twice");
            }
            for (int j = 0; j < domain.hosts().size(); j++) {
                HostedDomain before = byHost.putIfAbsent(domain.hosts().get(j), domain);
                if (before != null && before != domain) {
                    throw new InvalidSettingException("domains[" + i + "].hosts[" + j + "]", "'" + domain.hosts().get(j)
                            + "' already selects the domain " + before.serverName());
                }
            }
        }
        return new HostedDomains(byHost, byServerName);
    }

    /** The domain a well-known request is for, or empty for the default domain. */
    Optional<HostedDomain> forRequest(MatrixRequest request, ClientAddress proxies) {
        if (byHost.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> host = proxies.isTrustedProxy(request.remoteAddress())
                ? request.header("X-Forwarded-Host").map(h -> h.split(",")[0]).or(() -> request.header("Host"))
                : request.header("Host");
        return host.map(HostedDomain::hostOf).map(byHost::get);
    }

    /** Whether this domain's section forces relay for users of the given server name. */
    boolean forcesRelayFor(String serverName) {
        HostedDomain domain = byServerName.get(serverName);
        return domain != null && domain.forceRelay();
    }
}
