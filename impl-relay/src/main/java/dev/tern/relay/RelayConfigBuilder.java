package dev.tern.relay;

import dev.tern.spi.Secret;
import dev.tern.stun.ChannelNumbers;
import dev.tern.relay.plane.DataPlaneMode;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Builds a {@link RelayConfig} by naming each setting, for code that configures the relay in Java (tests,
 * {@code bench}, embedders); YAML and JSON bind the record directly. Start with
 * {@link RelayConfig#builder(String)} or {@link RelayConfig#toBuilder()}:
 * <pre>{@code
 * RelayConfig config = RelayConfig.builder("example.org")
 *         .listen("udp://192.0.2.10:3478")
 *         .userQuota(3)
 *         .build();
 * }</pre>
 *
 * <p>Each method sets the setting of the same name (see {@link RelayConfig}'s components); a setting not set
 * keeps its default, and so does one set to {@code null} (so a caller can pass an optional value through).
 * Nothing is checked until {@link #build()}, which validates like binding from a file does and throws
 * {@link dev.tern.spi.InvalidSettingException} naming the key. Not thread-safe: build on one thread.
 */
public final class RelayConfigBuilder {

    private String realm;
    private List<String> listen;
    private String relayAddress;
    private String externalAddress;
    private String relayAddressIpv6;
    private String externalAddressIpv6;
    private String ports;
    private List<String> allowedPeers;
    private List<String> deniedPeers;
    private Boolean secureStun;
    private Duration staleNonce;
    private Secret nonceKey;
    private Duration defaultAllocationLifetime;
    private Duration maxAllocationLifetime;
    private Boolean strictExpiry;
    private Integer totalQuota;
    private Integer userQuota;
    private Integer maxPermissions;
    private Integer maxAllocationsPerSource;
    private String software;
    private Integer threads;
    private RelayConfig.Tls tls;
    private RelayConfig.Tcp tcp;
    private String dataPlane;
    private ChannelNumbers channelNumbers;
    private RelayConfig.FailedAuthLimit failedAuthLimit;
    private RelayConfig.ProxyProtocol proxyProtocol;

    RelayConfigBuilder(String realm) {
        this.realm = realm;
    }

    RelayConfigBuilder(RelayConfig from) {
        Objects.requireNonNull(from, "from");
        realm = from.realm();
        listen = from.listen();
        relayAddress = from.relayAddress();
        externalAddress = from.externalAddress();
        relayAddressIpv6 = from.relayAddressIpv6();
        externalAddressIpv6 = from.externalAddressIpv6();
        ports = from.ports();
        allowedPeers = from.allowedPeers();
        deniedPeers = from.deniedPeers();
        secureStun = from.secureStun();
        staleNonce = from.staleNonce();
        nonceKey = from.nonceKey();
        defaultAllocationLifetime = from.defaultAllocationLifetime();
        maxAllocationLifetime = from.maxAllocationLifetime();
        strictExpiry = from.strictExpiry();
        totalQuota = from.totalQuota();
        userQuota = from.userQuota();
        maxPermissions = from.maxPermissions();
        maxAllocationsPerSource = from.maxAllocationsPerSource();
        software = from.software();
        threads = from.threads();
        tls = from.tls();
        tcp = from.tcp();
        dataPlane = from.dataPlane();
        channelNumbers = from.channelNumbers();
        failedAuthLimit = from.failedAuthLimit();
        proxyProtocol = from.proxyProtocol();
    }

    /** {@code realm}: the long-term credential realm. */
    public RelayConfigBuilder realm(String realm) {
        this.realm = realm;
        return this;
    }

    /** {@code listen}: the listen entries, like {@code udp://192.0.2.10:3478}. */
    public RelayConfigBuilder listen(List<String> listen) {
        this.listen = listen;
        return this;
    }

    /** {@code listen}: the listen entries, like {@code udp://192.0.2.10:3478}. */
    public RelayConfigBuilder listen(String... listen) {
        return listen(List.of(listen));
    }

    /** {@code relay_address}: the local IP relay ports are bound on. */
    public RelayConfigBuilder relayAddress(String relayAddress) {
        this.relayAddress = relayAddress;
        return this;
    }

    /** {@code external_address}: the public IP advertised for relay_address. */
    public RelayConfigBuilder externalAddress(String externalAddress) {
        this.externalAddress = externalAddress;
        return this;
    }

    /** {@code relay_address_ipv6}: a local IPv6 address for relay ports too. */
    public RelayConfigBuilder relayAddressIpv6(String relayAddressIpv6) {
        this.relayAddressIpv6 = relayAddressIpv6;
        return this;
    }

    /** {@code external_address_ipv6}: the public IPv6 address advertised for relay_address_ipv6. */
    public RelayConfigBuilder externalAddressIpv6(String externalAddressIpv6) {
        this.externalAddressIpv6 = externalAddressIpv6;
        return this;
    }

    /** {@code ports}: the relay port range, {@code low-high}. */
    public RelayConfigBuilder ports(String ports) {
        this.ports = ports;
        return this;
    }

    /** {@code allowed_peers}: CIDRs or ranges allowed although on the default deny list. */
    public RelayConfigBuilder allowedPeers(List<String> allowedPeers) {
        this.allowedPeers = allowedPeers;
        return this;
    }

    /** {@code allowed_peers}: CIDRs or ranges allowed although on the default deny list. */
    public RelayConfigBuilder allowedPeers(String... allowedPeers) {
        return allowedPeers(List.of(allowedPeers));
    }

    /** {@code denied_peers}: CIDRs or ranges refused in addition to the default deny list. */
    public RelayConfigBuilder deniedPeers(List<String> deniedPeers) {
        this.deniedPeers = deniedPeers;
        return this;
    }

    /** {@code denied_peers}: CIDRs or ranges refused in addition to the default deny list. */
    public RelayConfigBuilder deniedPeers(String... deniedPeers) {
        return deniedPeers(List.of(deniedPeers));
    }

    /** {@code secure_stun}: whether Binding requests need credentials. */
    public RelayConfigBuilder secureStun(boolean secureStun) {
        this.secureStun = secureStun;
        return this;
    }

    /** {@code stale_nonce}: how long a nonce stays valid. */
    public RelayConfigBuilder staleNonce(Duration staleNonce) {
        this.staleNonce = staleNonce;
        return this;
    }

    /** {@code nonce_key}: the key nonces are signed with. */
    public RelayConfigBuilder nonceKey(Secret nonceKey) {
        this.nonceKey = nonceKey;
        return this;
    }

    /** {@code default_allocation_lifetime}: the lifetime when the client asks none. */
    public RelayConfigBuilder defaultAllocationLifetime(Duration defaultAllocationLifetime) {
        this.defaultAllocationLifetime = defaultAllocationLifetime;
        return this;
    }

    /** {@code max_allocation_lifetime}: the longest lifetime granted. */
    public RelayConfigBuilder maxAllocationLifetime(Duration maxAllocationLifetime) {
        this.maxAllocationLifetime = maxAllocationLifetime;
        return this;
    }

    /** {@code strict_expiry}: whether lifetimes are capped by the credential's expiry too. */
    public RelayConfigBuilder strictExpiry(boolean strictExpiry) {
        this.strictExpiry = strictExpiry;
        return this;
    }

    /** {@code total_quota}: the most allocations on this relay. */
    public RelayConfigBuilder totalQuota(Integer totalQuota) {
        this.totalQuota = totalQuota;
        return this;
    }

    /** {@code user_quota}: the most allocations per user when policy sets none. */
    public RelayConfigBuilder userQuota(Integer userQuota) {
        this.userQuota = userQuota;
        return this;
    }

    /** {@code max_permissions}: the most peer permissions per allocation. */
    public RelayConfigBuilder maxPermissions(Integer maxPermissions) {
        this.maxPermissions = maxPermissions;
        return this;
    }

    /** {@code max_allocations_per_source}: the most allocations from one client IP. */
    public RelayConfigBuilder maxAllocationsPerSource(Integer maxAllocationsPerSource) {
        this.maxAllocationsPerSource = maxAllocationsPerSource;
        return this;
    }

    /** {@code software}: the SOFTWARE attribute to send. */
    public RelayConfigBuilder software(String software) {
        this.software = software;
        return this;
    }

    /** {@code threads}: event loop threads. */
    public RelayConfigBuilder threads(Integer threads) {
        this.threads = threads;
        return this;
    }

    /** {@code tls}: certificate and key for TLS listeners. */
    public RelayConfigBuilder tls(RelayConfig.Tls tls) {
        this.tls = tls;
        return this;
    }

    /** {@code tcp}: limits for stream connections. */
    public RelayConfigBuilder tcp(RelayConfig.Tcp tcp) {
        this.tcp = tcp;
        return this;
    }

    /** {@code data_plane}: who forwards ChannelData of bound UDP channels. */
    public RelayConfigBuilder dataPlane(DataPlaneMode dataPlane) {
        this.dataPlane = dataPlane == null ? null : dataPlane.text();
        return this;
    }

    /** {@code channel_numbers}: the channel numbers ChannelBind accepts. */
    public RelayConfigBuilder channelNumbers(ChannelNumbers channelNumbers) {
        this.channelNumbers = channelNumbers;
        return this;
    }

    /** {@code failed_auth_limit}: limits on failed credential checks. */
    public RelayConfigBuilder failedAuthLimit(RelayConfig.FailedAuthLimit failedAuthLimit) {
        this.failedAuthLimit = failedAuthLimit;
        return this;
    }

    /** {@code proxy_protocol}: the proxies that may send a PROXY protocol header. */
    public RelayConfigBuilder proxyProtocol(RelayConfig.ProxyProtocol proxyProtocol) {
        this.proxyProtocol = proxyProtocol;
        return this;
    }

    /**
     * The config, validated.
     *
     * @throws dev.tern.spi.InvalidSettingException naming the key of the first bad setting
     */
    public RelayConfig build() {
        return new RelayConfig(realm, listen, relayAddress, externalAddress, relayAddressIpv6, externalAddressIpv6,
                ports, allowedPeers, deniedPeers, secureStun, staleNonce, nonceKey, defaultAllocationLifetime,
                maxAllocationLifetime, strictExpiry, totalQuota, userQuota, maxPermissions, maxAllocationsPerSource,
                software, threads, tls, tcp, dataPlane, channelNumbers, failedAuthLimit, proxyProtocol);
    }
}
