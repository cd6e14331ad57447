package dev.tern.relay;

import dev.tern.api.Secret;
import dev.tern.spi.InvalidSettingException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code relay:} section for {@code type: netty}: where to listen, which ports to relay on, which
 * peers may be reached, and the limits.
 *
 * <p>Immutable and thread-safe. Absent keys arrive as {@code null} and get the defaults below; a bad
 * value throws {@link InvalidSettingException} naming the key (secrets are never repeated).
 *
 * @param realm the long-term credential realm (required)
 * @param listen {@code udp://host:port} entries (default {@code udp://0.0.0.0:3478}); {@code tcp://} and
 *     {@code tls://} are refused until TCP/TLS relaying exists
 * @param relayAddress the local IP relay ports are bound on (default: the first listen host, which must
 *     then not be a wildcard)
 * @param externalAddress the public IP advertised in XOR-RELAYED-ADDRESS behind NAT (default: relay_address)
 * @param ports the relay port range, {@code low-high} (default {@code 49152-65535})
 * @param allowedPeers CIDRs or {@code a-b} ranges allowed although on the default deny list
 * @param deniedPeers CIDRs or {@code a-b} ranges refused in addition to the default deny list
 * @param secureStun require credentials for Binding requests (default false)
 * @param staleNonce how long a nonce stays valid (default 10m)
 * @param nonceKey the key nonces are signed with; random per start when absent (share it across a fleet)
 * @param defaultAllocationLifetime lifetime when the client asks none (default 600s)
 * @param maxAllocationLifetime the longest lifetime granted (default 3600s)
 * @param strictExpiry also cap lifetimes by the credential's expiry (default false)
 * @param totalQuota the most allocations on this relay (default unlimited)
 * @param userQuota the most allocations per user when policy has no {@code max_allocations} (default unlimited)
 * @param maxPermissions the most peer permissions per allocation (default 100)
 * @param maxAllocationsPerSource the most allocations from one client IP (default 256)
 * @param software the SOFTWARE attribute to send (default none)
 * @param threads event loop threads (default: the number of processors)
 * @param tls certificate and key for {@code tls://} listeners (accepted now, used by a later version)
 */
public record RelayConfig(
        String realm,
        List<String> listen,
        String relayAddress,
        String externalAddress,
        String ports,
        List<String> allowedPeers,
        List<String> deniedPeers,
        Boolean secureStun,
        Duration staleNonce,
        Secret nonceKey,
        Duration defaultAllocationLifetime,
        Duration maxAllocationLifetime,
        Boolean strictExpiry,
        Integer totalQuota,
        Integer userQuota,
        Integer maxPermissions,
        Integer maxAllocationsPerSource,
        String software,
        Integer threads,
        Tls tls) {

    /**
     * Certificate and key for TLS listeners.
     *
     * @param certFile PEM certificate chain
     * @param keyFile PEM private key
     */
    public record Tls(Path certFile, Path keyFile) {
    }

    /**
     * An inclusive port range.
     *
     * @param low the lowest port
     * @param high the highest port
     */
    public record PortRange(int low, int high) {
        /** The number of ports in the range. */
        public int size() {
            return high - low + 1;
        }
    }

    public RelayConfig {
        if (realm == null || realm.isBlank()) {
            throw new InvalidSettingException("realm", "is required (the realm clients authenticate in, like example.org)");
        }
        listen = listen == null || listen.isEmpty() ? List.of("udp://0.0.0.0:3478") : List.copyOf(listen);
        ports = ports == null ? "49152-65535" : ports;
        allowedPeers = allowedPeers == null ? List.of() : List.copyOf(allowedPeers);
        deniedPeers = deniedPeers == null ? List.of() : List.copyOf(deniedPeers);
        secureStun = secureStun != null && secureStun;
        staleNonce = positive("stale_nonce", staleNonce, Duration.ofMinutes(10));
        defaultAllocationLifetime = positive("default_allocation_lifetime", defaultAllocationLifetime,
                Duration.ofSeconds(600));
        maxAllocationLifetime = positive("max_allocation_lifetime", maxAllocationLifetime, Duration.ofSeconds(3600));
        if (defaultAllocationLifetime.compareTo(maxAllocationLifetime) > 0) {
            throw new InvalidSettingException("default_allocation_lifetime",
                    "must not exceed max_allocation_lifetime (" + maxAllocationLifetime.toSeconds() + "s)");
        }
        strictExpiry = strictExpiry != null && strictExpiry;
        if (nonceKey != null && nonceKey.byteLength() < 16) {
            throw new InvalidSettingException("nonce_key", "must be at least 16 bytes long");
        }
        atLeastOne("total_quota", totalQuota);
        atLeastOne("user_quota", userQuota);
        maxPermissions = maxPermissions == null ? 100 : atLeastOne("max_permissions", maxPermissions);
        maxAllocationsPerSource = maxAllocationsPerSource == null ? 256
                : atLeastOne("max_allocations_per_source", maxAllocationsPerSource);
        threads = threads == null ? Runtime.getRuntime().availableProcessors() : atLeastOne("threads", threads);
        if (software != null && software.length() > 127) {
            throw new InvalidSettingException("software", "must be at most 127 characters");
        }
        // Parse everything once so a bad value fails when the config is bound, not when the relay starts.
        listenEndpoints(listen);
        parsePorts(ports);
        if (relayAddress != null) {
            literal("relay_address", relayAddress);
        }
        if (externalAddress != null) {
            literal("external_address", externalAddress);
        }
        if (relayAddress == null && listenEndpoints(listen).get(0).getAddress().isAnyLocalAddress()) {
            throw new InvalidSettingException("relay_address",
                    "is required when the first listen entry is a wildcard address (give the IP to bind relay ports on)");
        }
    }

    /** A config with only the realm and these listen entries set. */
    public static RelayConfig of(String realm, List<String> listen) {
        return new RelayConfig(realm, listen, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null);
    }

    /** The listen entries as socket addresses. */
    public List<InetSocketAddress> listenAddresses() {
        return listenEndpoints(listen);
    }

    /** The local address relay ports are bound on. */
    public InetAddress relayBindAddress() {
        return relayAddress == null ? listenAddresses().get(0).getAddress() : literal("relay_address", relayAddress);
    }

    /** The address advertised in XOR-RELAYED-ADDRESS. */
    public InetAddress advertisedRelayAddress() {
        return externalAddress == null ? relayBindAddress() : literal("external_address", externalAddress);
    }

    /** The relay port range. */
    public PortRange portRange() {
        return parsePorts(ports);
    }

    /** The SOFTWARE attribute value, if one is to be sent. */
    public Optional<String> softwareName() {
        return Optional.ofNullable(software);
    }

    private static Duration positive(String key, Duration value, Duration fallback) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new InvalidSettingException(key, "must be positive, like 600s or 10m");
        }
        return value;
    }

    private static Integer atLeastOne(String key, Integer value) {
        if (value != null && value < 1) {
            throw new InvalidSettingException(key, "must be at least 1");
        }
        return value;
    }

    private static List<InetSocketAddress> listenEndpoints(List<String> entries) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String key = "listen[" + i + "]";
            String entry = entries.get(i);
            URI uri;
            try {
                uri = new URI(entry);
            } catch (URISyntaxException e) {
                throw new InvalidSettingException(key, "'" + entry + "' is not like udp://0.0.0.0:3478");
            }
            String scheme = uri.getScheme();
            if ("tcp".equals(scheme) || "tls".equals(scheme)) {
                throw new InvalidSettingException(key, "'" + entry + "': " + scheme
                        + " listeners are not supported yet by the netty relay (only udp://host:port)");
            }
            if (!"udp".equals(scheme) || uri.getHost() == null || uri.getPort() < 0 || uri.getPath() != null
                    && !uri.getPath().isEmpty()) {
                throw new InvalidSettingException(key, "'" + entry + "' is not like udp://0.0.0.0:3478 or udp://[::]:3478");
            }
            String host = uri.getHost();
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            out.add(new InetSocketAddress(literal(key, host), uri.getPort()));
        }
        return out;
    }

    private static PortRange parsePorts(String text) {
        String[] parts = text.trim().split("-", -1);
        try {
            int low = Integer.parseInt(parts[0].trim());
            int high = parts.length == 2 ? Integer.parseInt(parts[1].trim()) : parts.length == 1 ? low : -1;
            if (low < 1 || high > 65535 || low > high) {
                throw new NumberFormatException();
            }
            return new PortRange(low, high);
        } catch (NumberFormatException e) {
            throw new InvalidSettingException("ports", "'" + text + "' is not a port range like 49152-65535");
        }
    }

    private static InetAddress literal(String key, String text) {
        String t = text.trim();
        boolean looksLiteral = !t.isEmpty() && (Character.digit(t.charAt(0), 16) >= 0 || t.charAt(0) == ':')
                && t.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':');
        if (!looksLiteral) {
            throw new InvalidSettingException(key, "'" + text + "' is not an IP address literal");
        }
        try {
            return InetAddress.getByName(t);
        } catch (UnknownHostException e) {
            throw new InvalidSettingException(key, "'" + text + "' is not an IP address literal");
        }
    }
}
