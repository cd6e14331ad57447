package dev.tern.matrix.http;

import static dev.tern.spi.SettingChecks.within;

import dev.tern.spi.AddressRange;
import dev.tern.guard.ListenerLimits;
import dev.tern.spi.InvalidSettingException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code matrix:} config section.
 *
 * <pre>{@code
 * matrix:
 *   listen: "127.0.0.1:8008"                 # for MatrixHttpServer (sidecar); embedded bindings ignore it
 *   access_tokens: { type: whoami, homeserver: "http://127.0.0.1:8009" }   # bound by its provider
 *   well_known:
 *     m.homeserver: { base_url: "https://matrix.example.org" }
 *   well_known_upstream: "http://127.0.0.1:8009/.well-known/matrix/client"   # sidecar: merge into this
 *   well_known_upstream_timeout: 2s
 *   well_known_upstream_cache_time: 1m
 *   force_turn_false_when_not_forced: false
 *   not_configured_response: empty         # or not_found
 *   cache_max_age: 1h
 *   rate_limit: { per_second: 1, burst: 10 }
 *   unknown_token_limit: { per_second: 0.1, burst: 10 }
 *   trusted_proxies: ["127.0.0.1", "10.0.0.0/8"]
 *   cors: true
 *   max_header_size: 8192
 *   connections: { max: 512, max_per_address: 128, header_timeout: 10s, idle_timeout: 60s }
 *   domains:                               # more homeserver domains served by this Tern (default none)
 *     - { server_name: b.example, well_known: { m.homeserver: { base_url: "https://matrix.b.example" } },
 *         force_relay: true }
 * }</pre>
 *
 * <p>Immutable and thread-safe. Absent keys get their defaults; a bad value throws
 * {@link InvalidSettingException} naming the key.
 *
 * @param listen {@code host:port} or {@code http://host:port} for {@link dev.tern.matrix.netty.MatrixHttpServer}
 *     (default none: embedded bindings need no address)
 * @param accessTokens the {@code access_tokens} sub-section, left for its provider to bind (its {@code type}
 *     selects an {@link dev.tern.spi.AccessTokenVerifierProvider}); may be absent when the embedding
 *     homeserver passes its own verifier
 * @param wellKnown the {@code /.well-known/matrix/client} document (required; {@code m.homeserver.base_url}
 *     required); in sidecar mode the fallback when the upstream cannot be used
 * @param wellKnownUpstream sidecar mode: the URL of the homeserver's own well-known to merge the flag into
 *     (default none)
 * @param wellKnownUpstreamTimeout how long to wait for the upstream (default 2s, 100ms to 30s)
 * @param wellKnownUpstreamCacheTime how long an upstream answer (or the fallback after a failure) is reused
 *     (default 1m, 0 to 1h)
 * @param forceTurnFalseWhenNotForced write {@code "im.vector.riot.forceTurn": false} when relay is not forced,
 *     instead of leaving the key out (default false)
 * @param notConfiguredResponse what {@code /voip/turnServer} answers without TURN (default {@code empty})
 * @param cacheMaxAge the well-known's {@code Cache-Control: max-age} (default 1h, 0 to 7d)
 * @param rateLimit the per-user token bucket for {@code /voip/turnServer}
 * @param unknownTokenLimit the per-address token bucket for unknown access tokens (on by default)
 * @param trustedProxies addresses or CIDR blocks of reverse proxies whose {@code X-Forwarded-For} is believed
 *     (default none)
 * @param cors send CORS headers and answer {@code OPTIONS} (default true, as the spec asks)
 * @param maxHeaderSize the largest request header block the Netty binding accepts, in bytes (default 8192,
 *     1024 to 65536); larger gets 431
 * @param connections the Netty binding's caps and deadlines ({@link ListenerLimits}; each key has a default)
 * @param domains further homeserver domains ({@link HostedDomain}): a well-known request whose {@code Host} one
 *     of them lists gets that domain's document and flag; any other {@code Host} gets {@code well_known} (the
 *     default domain). No server name or host may appear twice (default none)
 */
public record MatrixConfig(
        String listen,
        Map<String, Object> accessTokens,
        Map<String, Object> wellKnown,
        String wellKnownUpstream,
        Duration wellKnownUpstreamTimeout,
        Duration wellKnownUpstreamCacheTime,
        Boolean forceTurnFalseWhenNotForced,
        NotConfiguredResponse notConfiguredResponse,
        Duration cacheMaxAge,
        RateLimitConfig rateLimit,
        UnknownTokenLimitConfig unknownTokenLimit,
        List<String> trustedProxies,
        Boolean cors,
        Integer maxHeaderSize,
        ListenerLimits connections,
        List<HostedDomain> domains) {

    public MatrixConfig {
        if (listen != null) {
            parseListen(listen);
        }
        accessTokens = accessTokens == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(accessTokens));
        wellKnown = WellKnownDocument.validate("well_known", wellKnown);
        if (wellKnownUpstream != null) {
            wellKnownUpstream = HttpUrlSetting.parse("well_known_upstream", wellKnownUpstream,
                    "http://127.0.0.1:8008/.well-known/matrix/client").toString();
        }
        wellKnownUpstreamTimeout = within("well_known_upstream_timeout", wellKnownUpstreamTimeout,
                Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofSeconds(30));
        wellKnownUpstreamCacheTime = within("well_known_upstream_cache_time", wellKnownUpstreamCacheTime,
                Duration.ofMinutes(1), Duration.ZERO, Duration.ofHours(1));
        forceTurnFalseWhenNotForced = forceTurnFalseWhenNotForced != null && forceTurnFalseWhenNotForced;
        notConfiguredResponse = notConfiguredResponse == null ? NotConfiguredResponse.EMPTY : notConfiguredResponse;
        cacheMaxAge = within("cache_max_age", cacheMaxAge, Duration.ofHours(1), Duration.ZERO, Duration.ofDays(7));
        rateLimit = rateLimit == null ? RateLimitConfig.DEFAULT : rateLimit;
        unknownTokenLimit = unknownTokenLimit == null ? UnknownTokenLimitConfig.DEFAULT : unknownTokenLimit;
        trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
        for (int i = 0; i < trustedProxies.size(); i++) {
            try {
                AddressRange.parse(trustedProxies.get(i));
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException("trusted_proxies[" + i + "]", e.getMessage());
            }
        }
        cors = cors == null || cors;
        maxHeaderSize = maxHeaderSize == null ? 8192 : maxHeaderSize;
        if (maxHeaderSize < 1024 || maxHeaderSize > 65536) {
            throw new InvalidSettingException("max_header_size", "must be between 1024 and 65536 bytes, like 8192");
        }
        connections = connections == null ? ListenerLimits.DEFAULT : connections;
        domains = domains == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(domains));
        HostedDomains.of(domains);
    }

    /** A config with this well-known content and every other key at its default. */
    public static MatrixConfig withWellKnown(Map<String, Object> wellKnown) {
        return builder().wellKnown(wellKnown).build();
    }

    /** The address {@code listen} names, if given. */
    public Optional<InetSocketAddress> listenAddress() {
        return Optional.ofNullable(listen).map(MatrixConfig::parseListen);
    }

    /** The upstream well-known URL, if in sidecar mode. */
    public Optional<URI> wellKnownUpstreamUri() {
        return Optional.ofNullable(wellKnownUpstream).map(URI::create);
    }

    /** The domains, indexed by host and server name. */
    HostedDomains hostedDomains() {
        return HostedDomains.of(domains);
    }

    /** The trusted proxies, parsed. */
    List<AddressRange> trustedProxyBlocks() {
        List<AddressRange> blocks = new ArrayList<>();
        trustedProxies.forEach(t -> blocks.add(AddressRange.parse(t)));
        return blocks;
    }

    private static InetSocketAddress parseListen(String text) {
        String s = text.strip();
        if (s.startsWith("http://")) {
            s = s.substring("http://".length());
            if (s.endsWith("/")) {
                s = s.substring(0, s.length() - 1);
            }
        }
        int colon = s.lastIndexOf(':');
        String host = colon < 0 ? "" : s.substring(0, colon);
        String port = colon < 0 ? "" : s.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        Optional<java.net.InetAddress> address = IpLiteral.parse(host);
        if (address.isEmpty() || !port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535) {
            throw new InvalidSettingException("listen", "'" + text
                    + "' is not an IP address and port like 127.0.0.1:8008 or [::]:8008 (0 picks a free port)");
        }
        return new InetSocketAddress(address.get(), Integer.parseInt(port));
    }

    /** A builder with every setting unset, so at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this config's settings, to build a changed copy. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Builds a {@link MatrixConfig} by naming each setting, for Java callers (config files bind the record
     * itself). A setting not set, or set to {@code null}, gets its default; {@link #build()} validates like
     * binding does and throws {@link InvalidSettingException} naming the key. Not thread-safe.
     */
    public static final class Builder {
        private String listen;
        private Map<String, Object> accessTokens;
        private Map<String, Object> wellKnown;
        private String wellKnownUpstream;
        private Duration wellKnownUpstreamTimeout;
        private Duration wellKnownUpstreamCacheTime;
        private Boolean forceTurnFalseWhenNotForced;
        private NotConfiguredResponse notConfiguredResponse;
        private Duration cacheMaxAge;
        private RateLimitConfig rateLimit;
        private UnknownTokenLimitConfig unknownTokenLimit;
        private List<String> trustedProxies;
        private Boolean cors;
        private Integer maxHeaderSize;
        private ListenerLimits connections;
        private List<HostedDomain> domains;

        private Builder() {
        }

        private Builder(MatrixConfig from) {
            listen = from.listen;
            accessTokens = from.accessTokens;
            wellKnown = from.wellKnown;
            wellKnownUpstream = from.wellKnownUpstream;
            wellKnownUpstreamTimeout = from.wellKnownUpstreamTimeout;
            wellKnownUpstreamCacheTime = from.wellKnownUpstreamCacheTime;
            forceTurnFalseWhenNotForced = from.forceTurnFalseWhenNotForced;
            notConfiguredResponse = from.notConfiguredResponse;
            cacheMaxAge = from.cacheMaxAge;
            rateLimit = from.rateLimit;
            unknownTokenLimit = from.unknownTokenLimit;
            trustedProxies = from.trustedProxies;
            cors = from.cors;
            maxHeaderSize = from.maxHeaderSize;
            connections = from.connections;
            domains = from.domains;
        }

        /**
         * {@code listen}: {@code host:port} or {@code http://host:port} for {@link
         * dev.tern.matrix.netty.MatrixHttpServer}.
         */
        public Builder listen(String listen) {
            this.listen = listen;
            return this;
        }

        /**
         * {@code access_tokens}: the {@code access_tokens} sub-section, left for its provider to bind (its {@code
         * type} selects an {@link dev.tern.spi.AccessTokenVerifierProvider}).
         */
        public Builder accessTokens(Map<String, Object> accessTokens) {
            this.accessTokens = accessTokens;
            return this;
        }

        /** {@code well_known}: the {@code /.well-known/matrix/client} document. */
        public Builder wellKnown(Map<String, Object> wellKnown) {
            this.wellKnown = wellKnown;
            return this;
        }

        /**
         * {@code well_known_upstream}: sidecar mode: the URL of the homeserver's own well-known to merge the flag
         * into.
         */
        public Builder wellKnownUpstream(String wellKnownUpstream) {
            this.wellKnownUpstream = wellKnownUpstream;
            return this;
        }

        /** {@code well_known_upstream_timeout}: how long to wait for the upstream. */
        public Builder wellKnownUpstreamTimeout(Duration wellKnownUpstreamTimeout) {
            this.wellKnownUpstreamTimeout = wellKnownUpstreamTimeout;
            return this;
        }

        /**
         * {@code well_known_upstream_cache_time}: how long an upstream answer (or the fallback after a failure) is
         * reused.
         */
        public Builder wellKnownUpstreamCacheTime(Duration wellKnownUpstreamCacheTime) {
            this.wellKnownUpstreamCacheTime = wellKnownUpstreamCacheTime;
            return this;
        }

        /**
         * {@code force_turn_false_when_not_forced}: write {@code "im.vector.riot.forceTurn": false} when relay is
         * not forced, instead of leaving the key out.
         */
        public Builder forceTurnFalseWhenNotForced(Boolean forceTurnFalseWhenNotForced) {
            this.forceTurnFalseWhenNotForced = forceTurnFalseWhenNotForced;
            return this;
        }

        /** {@code not_configured_response}: what {@code /voip/turnServer} answers without TURN. */
        public Builder notConfiguredResponse(NotConfiguredResponse notConfiguredResponse) {
            this.notConfiguredResponse = notConfiguredResponse;
            return this;
        }

        /** {@code cache_max_age}: the well-known's {@code Cache-Control: max-age}. */
        public Builder cacheMaxAge(Duration cacheMaxAge) {
            this.cacheMaxAge = cacheMaxAge;
            return this;
        }

        /** {@code rate_limit}: the per-user token bucket for {@code /voip/turnServer}. */
        public Builder rateLimit(RateLimitConfig rateLimit) {
            this.rateLimit = rateLimit;
            return this;
        }

        /** {@code unknown_token_limit}: the per-address token bucket for unknown access tokens (on by default). */
        public Builder unknownTokenLimit(UnknownTokenLimitConfig unknownTokenLimit) {
            this.unknownTokenLimit = unknownTokenLimit;
            return this;
        }

        /**
         * {@code trusted_proxies}: addresses or CIDR blocks of reverse proxies whose {@code X-Forwarded-For} is
         * believed.
         */
        public Builder trustedProxies(List<String> trustedProxies) {
            this.trustedProxies = trustedProxies;
            return this;
        }

        /** {@code cors}: send CORS headers and answer {@code OPTIONS}. */
        public Builder cors(Boolean cors) {
            this.cors = cors;
            return this;
        }

        /** {@code max_header_size}: the largest request header block the Netty binding accepts, in bytes. */
        public Builder maxHeaderSize(Integer maxHeaderSize) {
            this.maxHeaderSize = maxHeaderSize;
            return this;
        }

        /** {@code connections}: the Netty binding's caps and deadlines ({@link ListenerLimits}. */
        public Builder connections(ListenerLimits connections) {
            this.connections = connections;
            return this;
        }

        /**
         * {@code domains}: further homeserver domains ({@link HostedDomain}): a well-known request whose {@code
         * Host} one of them lists gets that domain's document and flag.
         */
        public Builder domains(List<HostedDomain> domains) {
            this.domains = domains;
            return this;
        }

        /** The config, validated. */
        public MatrixConfig build() {
            return new MatrixConfig(listen, accessTokens, wellKnown, wellKnownUpstream, wellKnownUpstreamTimeout,
                    wellKnownUpstreamCacheTime, forceTurnFalseWhenNotForced, notConfiguredResponse, cacheMaxAge,
                    rateLimit, unknownTokenLimit, trustedProxies, cors, maxHeaderSize, connections, domains);
        }
    }
}
