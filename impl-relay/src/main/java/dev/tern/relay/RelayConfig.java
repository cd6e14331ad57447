package dev.tern.relay;

import static dev.tern.spi.SettingChecks.positive;

import dev.tern.spi.Secret;
import dev.tern.spi.AddressRange;
import dev.tern.relay.plane.DataPlaneMode;
import dev.tern.spi.InvalidSettingException;
import dev.tern.spi.SettingChecks;
import dev.tern.stun.ChannelNumbers;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
 * <p>Java code builds one by name with {@link #builder(String)} (or changes one with {@link #toBuilder()});
 * the canonical constructor is the form the config file binds to, positional, and not for hand-written calls.
 *
 * @param realm the long-term credential realm (required)
 * @param listen {@code udp://}, {@code tcp://}, {@code tls://} or {@code tls+tcp://} {@code host:port}
 *     entries (default {@code udp://0.0.0.0:3478}); see {@link ListenEndpoint}
 * @param relayAddress the local IP relay ports are bound on (default: the first listen host, which must
 *     then not be a wildcard); its family is the one allocations get by default. IPv4 when
 *     {@code relay_address_ipv6} is set
 * @param externalAddress the public IP advertised in XOR-RELAYED-ADDRESS behind NAT (default: relay_address),
 *     of relay_address's family
 * @param relayAddressIpv6 a local IPv6 address for relay ports too, so the relay serves both families
 *     (REQUESTED-ADDRESS-FAMILY IPv6 and dual allocations with ADDITIONAL-ADDRESS-FAMILY; default none)
 * @param externalAddressIpv6 the public IPv6 address advertised for relay_address_ipv6 (default:
 *     relay_address_ipv6)
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
 * @param tls certificate and key for {@code tls://} and {@code tls+tcp://} listeners (required with them)
 * @param tcp limits for {@code tcp://}, {@code tls://} and {@code tls+tcp://} connections (defaults apply)
 * @param dataPlane {@code auto}, {@code kernel} or {@code user}: who forwards ChannelData of bound UDP channels
 *     (default {@code auto}: the kernel plane where it loads, else user space); see {@link DataPlaneMode}
 * @param channelNumbers the channel numbers ChannelBind accepts: {@code rfc}, 0x4000 to 0x4FFF (RFC 8656, the
 *     default), or {@code coturn}, 0x4000 to 0x7FFF (RFC 5766, for clients such as coturn's {@code turnutils_uclient})
 * @param failedAuthLimit how many failed credential checks a username and a client address may have before
 *     their requests are refused unchecked (defaults apply)
 * @param proxyProtocol which proxies in front of the stream listeners may send a PROXY protocol header naming the
 *     real client (default: none may)
 */
public record RelayConfig(
        String realm,
        List<String> listen,
        String relayAddress,
        String externalAddress,
        String relayAddressIpv6,
        String externalAddressIpv6,
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
        Tls tls,
        Tcp tcp,
        String dataPlane,
        ChannelNumbers channelNumbers,
        FailedAuthLimit failedAuthLimit,
        ProxyProtocol proxyProtocol) {

    /**
     * The PROXY protocol (HAProxy's, versions 1 and 2) on the stream listeners ({@code tcp://}, {@code tls://},
     * {@code tls+tcp://}, {@code tcp+http://}, {@code tls+https://}; before TLS): a connection from one of the
     * {@code trusted} proxies may start with a header naming the client, and that client address is the one the
     * relay's quotas, deny list, failed-check limits and logs see (and the Matrix endpoints' rate limits, on a port
     * shared with HTTP). A connection without a header is served as the proxy's own. A header from any other
     * address is refused: the connection is closed, counted as {@code tern_connections_refused{reason="proxy"}}
     * and logged (at most a line per address a minute). The caps per source address
     * ({@code tcp.max_connections_per_source}) count the proxy's address: raise them behind a proxy.
     *
     * @param trusted the proxies' addresses: single addresses, CIDR blocks or {@code a-b} ranges (at least one)
     */
    public record ProxyProtocol(List<String> trusted) {

        public ProxyProtocol {
            if (trusted == null || trusted.isEmpty()) {
                throw new InvalidSettingException("trusted", "is required: the proxies' addresses, like [10.0.0.5, "
                        + "192.168.1.0/24]");
            }
            trusted = List.copyOf(trusted);
            for (int i = 0; i < trusted.size(); i++) {
                try {
                    AddressRange.parse(trusted.get(i));
                } catch (IllegalArgumentException e) {
                    throw new InvalidSettingException("trusted[" + i + "]", "'" + trusted.get(i) + "': "
                            + e.getMessage());
                }
            }
        }

        /** The trusted proxies, parsed. */
        public List<AddressRange> ranges() {
            return trusted.stream().map(AddressRange::parse).toList();
        }
    }

    /**
     * Certificate and key for TLS listeners, reloaded when either file changes (new connections get
     * the new certificate, open ones keep theirs). TLS 1.2 and 1.3 only; ALPN {@code stun.turn} accepted.
     *
     * @param certFile PEM certificate chain, leaf first (Let's Encrypt's {@code fullchain.pem})
     * @param keyFile PEM private key, PKCS#8 ({@code BEGIN PRIVATE KEY}) preferred
     * @param ciphers cipher suites to allow, by their IANA (JDK) names (default: the provider's defaults)
     * @param reloadInterval how often the files' modification times are checked (default 1m)
     * @param handshakeTimeout the deadline for a client's TLS handshake (default 10s)
     */
    public record Tls(Path certFile, Path keyFile, List<String> ciphers, Duration reloadInterval,
            Duration handshakeTimeout) {

        public Tls {
            if (certFile == null) {
                throw new InvalidSettingException("cert_file", "is required (a PEM certificate chain)");
            }
            if (keyFile == null) {
                throw new InvalidSettingException("key_file", "is required (a PEM private key)");
            }
            ciphers = ciphers == null ? List.of() : List.copyOf(ciphers);
            reloadInterval = positive("reload_interval", reloadInterval, Duration.ofMinutes(1));
            handshakeTimeout = positive("handshake_timeout", handshakeTimeout, Duration.ofSeconds(10));
        }

        /** Certificate and key with the defaults for the rest. */
        public static Tls of(Path certFile, Path keyFile) {
            return new Tls(certFile, keyFile, null, null, null);
        }
    }

    /**
     * Limits for stream (TCP and TLS) connections, so slow or hostile clients cannot pin memory or file
     * descriptors. A connection over a limit is closed at once.
     *
     * @param maxConnections open connections in total (default 10000)
     * @param maxConnectionsPerSource open connections from one client IP (default 100)
     * @param idleTimeout a connection with no traffic either way this long is closed (default 10m; keep it
     *     longer than clients' Refresh interval)
     * @param firstMessageTimeout a connection must deliver a complete STUN message this soon after it is
     *     accepted, TLS handshake included (default 10s)
     * @param maxMessageSize the largest STUN or ChannelData message accepted; a longer one closes the
     *     connection, which bounds what one connection buffers (default 8192 bytes)
     */
    public record Tcp(Integer maxConnections, Integer maxConnectionsPerSource, Duration idleTimeout,
            Duration firstMessageTimeout, Integer maxMessageSize) {

        public Tcp {
            maxConnections = maxConnections == null ? 10_000 : atLeastOne("max_connections", maxConnections);
            maxConnectionsPerSource = maxConnectionsPerSource == null ? 100
                    : atLeastOne("max_connections_per_source", maxConnectionsPerSource);
            idleTimeout = positive("idle_timeout", idleTimeout, Duration.ofMinutes(10));
            firstMessageTimeout = positive("first_message_timeout", firstMessageTimeout, Duration.ofSeconds(10));
            maxMessageSize = maxMessageSize == null ? 8192 : maxMessageSize;
            if (maxMessageSize < 548 || maxMessageSize > 65_560) {
                throw new InvalidSettingException("max_message_size", "must be between 548 and 65560 bytes");
            }
        }

        /** All defaults. */
        public static Tcp defaults() {
            return new Tcp(null, null, null, null, null);
        }
    }

    /**
     * Limits on failed long-term credential checks, against online password guessing (which matters most with
     * {@code static} credentials). Each username and each client address (IPv6: its /64) has an allowance of
     * failed checks that refills by one every {@code refill_interval}; while either allowance of a request is
     * used up, the request gets the usual 401 challenge without its credentials being checked, is counted as
     * {@code too_many_failures}, and a log line (at most one per username and per address a minute) says so.
     * Requests that authenticate are never counted. With the defaults a username can be guessed at most 10
     * times at once and then 6 times a minute, whatever the number of addresses.
     *
     * @param perUsername failed checks allowed at once per username (default 10)
     * @param perAddress failed checks allowed at once per client address (default 20)
     * @param refillInterval one more failed check is allowed after this long (default 10s; 1ms to 1h)
     * @param maxTracked usernames, and addresses, tracked at once; the least recently seen are forgotten
     *     (default 100000)
     */
    public record FailedAuthLimit(Integer perUsername, Integer perAddress, Duration refillInterval,
            Integer maxTracked) {

        public FailedAuthLimit {
            perUsername = perUsername == null ? 10 : atLeastOne("per_username", perUsername);
            perAddress = perAddress == null ? 20 : atLeastOne("per_address", perAddress);
            refillInterval = positive("refill_interval", refillInterval, Duration.ofSeconds(10));
            if (refillInterval.toMillis() < 1 || refillInterval.compareTo(Duration.ofHours(1)) > 0) {
                throw new InvalidSettingException("refill_interval", "must be between 1ms and 1h, like 10s");
            }
            maxTracked = maxTracked == null ? 100_000 : atLeastOne("max_tracked", maxTracked);
        }

        /** All defaults. */
        public static FailedAuthLimit defaults() {
            return new FailedAuthLimit(null, null, null, null);
        }
    }

    /**
     * Where relay ports of one address family are bound, and the address advertised for them.
     *
     * @param bind the local address relay sockets bind on
     * @param advertised the address put in XOR-RELAYED-ADDRESS (same family as {@code bind})
     */
    public record RelayAddress(InetAddress bind, InetAddress advertised) {
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
        tcp = tcp == null ? Tcp.defaults() : tcp;
        dataPlane = DataPlaneMode.parse(dataPlane).text();
        channelNumbers = channelNumbers == null ? ChannelNumbers.RFC : channelNumbers;
        failedAuthLimit = failedAuthLimit == null ? FailedAuthLimit.defaults() : failedAuthLimit;
        // Parse everything once so a bad value fails when the config is bound, not when the relay starts.
        List<ListenEndpoint> endpoints = listenEndpoints(listen);
        for (int i = 0; i < endpoints.size(); i++) {
            if (endpoints.get(i).scheme().tls() && tls == null) {
                throw new InvalidSettingException("tls", "is required for listen[" + i + "] '" + listen.get(i)
                        + "' (give cert_file and key_file)");
            }
        }
        parsePorts(ports);
        if (relayAddress == null && endpoints.get(0).address().getAddress().isAnyLocalAddress()) {
            throw new InvalidSettingException("relay_address",
                    "is required when the first listen entry is a wildcard address (give the IP to bind relay ports on)");
        }
        InetAddress bind = relayAddress == null ? endpoints.get(0).address().getAddress()
                : literal("relay_address", relayAddress);
        if (externalAddress != null) {
            sameFamily("external_address", literal("external_address", externalAddress), bind,
                    relayAddress == null ? "the first listen host" : "relay_address");
        }
        if (relayAddressIpv6 != null) {
            if (!(literal("relay_address_ipv6", relayAddressIpv6) instanceof Inet6Address)) {
                throw new InvalidSettingException("relay_address_ipv6", "'" + relayAddressIpv6
                        + "' is not an IPv6 address (relay_address takes the IPv4 one)");
            }
            if (!(bind instanceof Inet4Address)) {
                throw new InvalidSettingException("relay_address", (relayAddress == null
                        ? "is required" : "'" + relayAddress + "' must be") + " an IPv4 address when relay_address_ipv6 "
                        + "is set (one relay address per family)");
            }
        }
        if (externalAddressIpv6 != null) {
            if (relayAddressIpv6 == null) {
                throw new InvalidSettingException("external_address_ipv6",
                        "needs relay_address_ipv6 (the local IPv6 address relay ports bind on)");
            }
            if (!(literal("external_address_ipv6", externalAddressIpv6) instanceof Inet6Address)) {
                throw new InvalidSettingException("external_address_ipv6",
                        "'" + externalAddressIpv6 + "' is not an IPv6 address");
            }
        }
    }

    /** A builder for a config in {@code realm}, every other setting at its default. */
    public static RelayConfigBuilder builder(String realm) {
        return new RelayConfigBuilder(realm);
    }

    /** A builder starting from this config's settings, to build a changed copy. */
    public RelayConfigBuilder toBuilder() {
        return new RelayConfigBuilder(this);
    }

    /** The {@code data_plane} setting. */
    public DataPlaneMode dataPlaneMode() {
        return DataPlaneMode.parse(dataPlane);
    }

    /** The listen entries, parsed. */
    public List<ListenEndpoint> listenEndpoints() {
        return listenEndpoints(listen);
    }

    /** The listen entries as socket addresses. */
    public List<InetSocketAddress> listenAddresses() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (ListenEndpoint e : listenEndpoints(listen)) {
            out.add(e.address());
        }
        return out;
    }

    /** The local address relay ports are bound on. */
    public InetAddress relayBindAddress() {
        return relayAddress == null ? listenAddresses().get(0).getAddress() : literal("relay_address", relayAddress);
    }

    /** The address advertised in XOR-RELAYED-ADDRESS. */
    public InetAddress advertisedRelayAddress() {
        return externalAddress == null ? relayBindAddress() : literal("external_address", externalAddress);
    }

    /** The relay's addresses, one per family it relays, IPv4 first. */
    public List<RelayAddress> relayAddresses() {
        RelayAddress primary = new RelayAddress(relayBindAddress(), advertisedRelayAddress());
        if (relayAddressIpv6 == null) {
            return List.of(primary);
        }
        InetAddress bind6 = literal("relay_address_ipv6", relayAddressIpv6);
        InetAddress advertised6 = externalAddressIpv6 == null ? bind6
                : literal("external_address_ipv6", externalAddressIpv6);
        return List.of(primary, new RelayAddress(bind6, advertised6));
    }

    /** The relay port range. */
    public PortRange portRange() {
        return parsePorts(ports);
    }

    /** The SOFTWARE attribute value, if one is to be sent. */
    public Optional<String> softwareName() {
        return Optional.ofNullable(software);
    }

    private static Integer atLeastOne(String key, Integer value) {
        return SettingChecks.atLeast(key, value, 1);
    }

    private static List<ListenEndpoint> listenEndpoints(List<String> entries) {
        List<ListenEndpoint> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            out.add(ListenEndpoint.parse("listen[" + i + "]", entries.get(i)));
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

    private static void sameFamily(String key, InetAddress address, InetAddress reference, String referenceName) {
        if ((address instanceof Inet4Address) != (reference instanceof Inet4Address)) {
            throw new InvalidSettingException(key, "'" + address.getHostAddress() + "' is not of the family of "
                    + referenceName + " (" + reference.getHostAddress() + ")"
                    + (address instanceof Inet6Address ? "; an IPv6 address goes in external_address_ipv6" : ""));
        }
    }

    private static InetAddress literal(String key, String text) {
        return ListenEndpoint.literal(key, text);
    }
}
