package dev.tern.policy.ldap;

import static dev.tern.spi.SettingChecks.positive;

import dev.tern.spi.Secret;
import dev.tern.spi.InvalidSettingException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Config of the {@code ldap} policy source.
 *
 * <pre>{@code
 * - type: ldap
 *   name: directory
 *   on_error: last_known
 *   timeout: 1s
 *   url: ldaps://ldap.example.org        # or ldap://host:389 with start_tls: true
 *   trust_store: /etc/tern/ldap-ca.p12   # default: the JVM's trusted CAs; trust_all: true only for tests
 *   trust_store_password_file: /run/secrets/ldap-ca
 *   bind_dn: cn=tern,ou=services,dc=example,dc=org
 *   bind_password_file: /run/secrets/ldap-bind
 *   base_dn: ou=people,dc=example,dc=org
 *   server_names: [example.org]          # users of these servers only (default: the homeserver's name)
 *   user_filter: "(uid={localpart})"     # {localpart}, {user_id}, {server}: values are escaped
 *   member_of_attribute: memberOf        # used unless group_search is given
 *   group_search: { base_dn: "ou=groups,dc=example,dc=org", filter: "(member={dn})", nested_depth: 2 }
 *   rules:
 *     - { name: staff-relay, group: staff, set: { force_relay: true } }
 *     - { attribute: employeeType, values: [contractor], set: { turn_allowed: false } }
 *   pool_size: 4
 *   connect_timeout: 5s
 *   response_timeout: 5s
 *   cache_ttl: 5m                        # how long an answer may be used
 *   negative_cache_ttl: 1m               # the same for users the directory does not know
 *   refresh_after: 1m                    # after this, a read refreshes the entry in the background
 *   cache_size: 10000
 * }</pre>
 *
 * <p>Immutable and thread-safe. Every value is checked here; a bad one is an
 * {@link InvalidSettingException} naming the key (never showing a password).
 *
 * @param url {@code ldap://host[:port]} or {@code ldaps://host[:port]} (required)
 * @param startTls upgrade an {@code ldap://} connection with StartTLS (default false)
 * @param trustStore a trust store (PKCS12 or JKS) with the CA of the directory's certificate
 * @param trustStorePassword the trust store's password, if it has one
 * @param trustAll accept any certificate, without host name check (default false; for tests only)
 * @param bindDn the DN to bind as; anonymous when absent
 * @param bindPassword the bind password (required with {@code bind_dn})
 * @param baseDn where users are searched (required)
 * @param userFilter the user filter with placeholders (default {@code (uid={localpart})}); an attribute
 *     compared to {@code {localpart}} alone, like {@code uid} here, must hold the localpart with the same
 *     case (Matrix localparts are case-sensitive; LDAP's match on {@code uid} is not)
 * @param memberOfAttribute the user attribute listing group DNs (default {@code memberOf})
 * @param groupSearch search for groups instead of reading {@code memberOf}
 * @param rules groups and attribute values mapped to policy fields, first match per field
 * @param poolSize the most connections open at once, also the number of lookup threads (default 4)
 * @param connectTimeout how long to wait for a connection (default 5s)
 * @param responseTimeout how long to wait for one LDAP response (default 5s)
 * @param cacheTtl how long a found user's answer is kept (default 5m)
 * @param negativeCacheTtl how long an unknown user's answer is kept (default 1m)
 * @param refreshAfter age after which a read refreshes an entry in the background (default 1m)
 * @param cacheSize the most users kept (default 10000)
 * @param serverNames the Matrix server names whose users this directory holds (compared without case);
 *     users of other servers get no answer from this source, whatever the filter. Empty (the default)
 *     until {@link #resolve} fills in the homeserver's own name
 */
public record LdapSourceConfig(String url, Boolean startTls, Path trustStore, Secret trustStorePassword,
        Boolean trustAll, String bindDn, Secret bindPassword, String baseDn, String userFilter,
        String memberOfAttribute, GroupSearch groupSearch, List<LdapRule> rules, Integer poolSize,
        Duration connectTimeout, Duration responseTimeout, Duration cacheTtl, Duration negativeCacheTtl,
        Duration refreshAfter, Integer cacheSize, List<String> serverNames) {

    /** The user filter when none is given. */
    public static final String DEFAULT_USER_FILTER = "(uid={localpart})";

    /** The placeholders {@code user_filter} may use. */
    public static final List<String> USER_FILTER_PLACEHOLDERS = List.of("localpart", "user_id", "server");

    public LdapSourceConfig {
        if (url == null || url.isBlank()) {
            throw new InvalidSettingException("url", "is required (expected ldap://host:389 or ldaps://host:636)");
        }
        URI uri = parseUrl(url);
        startTls = startTls != null && startTls;
        trustAll = trustAll != null && trustAll;
        if (startTls && "ldaps".equals(uri.getScheme())) {
            throw new InvalidSettingException("start_tls", "cannot be used with ldaps:// (the connection is TLS "
                    + "already); use ldap:// with start_tls, or ldaps:// alone");
        }
        if (trustAll && trustStore != null) {
            throw new InvalidSettingException("trust_all", "cannot be combined with trust_store");
        }
        if (bindDn != null && bindPassword == null) {
            throw new InvalidSettingException("bind_password", "is required with bind_dn (or bind_password_file)");
        }
        if (bindDn == null && bindPassword != null) {
            throw new InvalidSettingException("bind_dn", "is required with bind_password");
        }
        if (baseDn == null || baseDn.isBlank()) {
            throw new InvalidSettingException("base_dn", "is required (expected the DN under which users live)");
        }
        userFilter = userFilter == null ? DEFAULT_USER_FILTER : userFilter;
        Placeholders.check("user_filter", userFilter, USER_FILTER_PLACEHOLDERS);
        memberOfAttribute = memberOfAttribute == null ? "memberOf" : memberOfAttribute;
        rules = rules == null ? List.of() : List.copyOf(rules);
        poolSize = poolSize == null ? 4 : poolSize;
        if (poolSize < 1 || poolSize > 64) {
            throw new InvalidSettingException("pool_size", "must be between 1 and 64");
        }
        connectTimeout = positive("connect_timeout", connectTimeout, Duration.ofSeconds(5));
        responseTimeout = positive("response_timeout", responseTimeout, Duration.ofSeconds(5));
        cacheTtl = positive("cache_ttl", cacheTtl, Duration.ofMinutes(5));
        negativeCacheTtl = positive("negative_cache_ttl", negativeCacheTtl, Duration.ofMinutes(1));
        refreshAfter = positive("refresh_after", refreshAfter, Duration.ofMinutes(1).compareTo(cacheTtl) < 0
                ? Duration.ofMinutes(1) : cacheTtl.dividedBy(2));
        if (refreshAfter.compareTo(cacheTtl) >= 0) {
            throw new InvalidSettingException("refresh_after", "must be shorter than cache_ttl (" + cacheTtl + ")");
        }
        cacheSize = cacheSize == null ? 10_000 : cacheSize;
        if (cacheSize < 1) {
            throw new InvalidSettingException("cache_size", "must be at least 1");
        }
        serverNames = serverNames == null ? List.of() : serverNames.stream().map(name -> {
            if (name == null || name.isBlank() || name.contains("@") || name.contains("/")) {
                throw new InvalidSettingException("server_names", "'" + name + "' is not a Matrix server name "
                        + "(expected names like example.org or matrix.example.org:8448)");
            }
            return name.trim().toLowerCase(Locale.ROOT);
        }).distinct().toList();
    }

    /**
     * This config with a relative {@code trust_store} resolved against the config directory, and the
     * homeserver's own name as {@code server_names} when none is given.
     */
    public LdapSourceConfig resolve(Path configDirectory, String homeserverName) {
        Path resolvedTrustStore = trustStore == null || trustStore.isAbsolute() ? trustStore
                : configDirectory.resolve(trustStore);
        return toBuilder()
                .trustStore(resolvedTrustStore)
                .serverNames(serverNames.isEmpty() ? List.of(homeserverName) : serverNames)
                .build();
    }

    /** Whether a user of this Matrix server may be looked up: one of {@code server_names}, compared without case. */
    public boolean servesUsersOf(String serverName) {
        return serverNames.contains(serverName.toLowerCase(Locale.ROOT));
    }

    /** Whether the connection is TLS from the start ({@code ldaps://}). */
    public boolean ldaps() {
        return "ldaps".equals(parseUrl(url).getScheme());
    }

    /** The directory's host. */
    public String host() {
        return parseUrl(url).getHost();
    }

    /** The directory's port: the URL's, or 636 for ldaps and 389 for ldap. */
    public int port() {
        URI uri = parseUrl(url);
        return uri.getPort() > 0 ? uri.getPort() : ldaps() ? 636 : 389;
    }

    private static URI parseUrl(String url) {
        try {
            URI uri = new URI(url.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("ldap") && !scheme.equals("ldaps") || uri.getHost() == null) {
                throw new InvalidSettingException("url", "'" + url + "' is not an LDAP URL (expected ldap://host:389 "
                        + "or ldaps://host:636)");
            }
            return new URI(scheme, null, uri.getHost(), uri.getPort(), null, null, null);
        } catch (URISyntaxException e) {
            throw new InvalidSettingException("url", "'" + url + "' is not a URL (expected ldap://host:389 or "
                    + "ldaps://host:636)");
        }
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
     * Builds a {@link LdapSourceConfig} by naming each setting, for Java callers (config files bind the record
     * itself). A setting not set, or set to {@code null}, gets its default; {@link #build()} validates like
     * binding does and throws {@link InvalidSettingException} naming the key. Not thread-safe.
     */
    public static final class Builder {
        private String url;
        private Boolean startTls;
        private Path trustStore;
        private Secret trustStorePassword;
        private Boolean trustAll;
        private String bindDn;
        private Secret bindPassword;
        private String baseDn;
        private String userFilter;
        private String memberOfAttribute;
        private GroupSearch groupSearch;
        private List<LdapRule> rules;
        private Integer poolSize;
        private Duration connectTimeout;
        private Duration responseTimeout;
        private Duration cacheTtl;
        private Duration negativeCacheTtl;
        private Duration refreshAfter;
        private Integer cacheSize;
        private List<String> serverNames;

        private Builder() {
        }

        private Builder(LdapSourceConfig from) {
            url = from.url;
            startTls = from.startTls;
            trustStore = from.trustStore;
            trustStorePassword = from.trustStorePassword;
            trustAll = from.trustAll;
            bindDn = from.bindDn;
            bindPassword = from.bindPassword;
            baseDn = from.baseDn;
            userFilter = from.userFilter;
            memberOfAttribute = from.memberOfAttribute;
            groupSearch = from.groupSearch;
            rules = from.rules;
            poolSize = from.poolSize;
            connectTimeout = from.connectTimeout;
            responseTimeout = from.responseTimeout;
            cacheTtl = from.cacheTtl;
            negativeCacheTtl = from.negativeCacheTtl;
            refreshAfter = from.refreshAfter;
            cacheSize = from.cacheSize;
            serverNames = from.serverNames;
        }

        /** {@code url}: {@code ldap://host[:port]} or {@code ldaps://host[:port]}. */
        public Builder url(String url) {
            this.url = url;
            return this;
        }

        /** {@code start_tls}: upgrade an {@code ldap://} connection with StartTLS. */
        public Builder startTls(Boolean startTls) {
            this.startTls = startTls;
            return this;
        }

        /** {@code trust_store}: a trust store (PKCS12 or JKS) with the CA of the directory's certificate. */
        public Builder trustStore(Path trustStore) {
            this.trustStore = trustStore;
            return this;
        }

        /** {@code trust_store_password}: the trust store's password, if it has one. */
        public Builder trustStorePassword(Secret trustStorePassword) {
            this.trustStorePassword = trustStorePassword;
            return this;
        }

        /** {@code trust_all}: accept any certificate, without host name check. */
        public Builder trustAll(Boolean trustAll) {
            this.trustAll = trustAll;
            return this;
        }

        /** {@code bind_dn}: the DN to bind as. */
        public Builder bindDn(String bindDn) {
            this.bindDn = bindDn;
            return this;
        }

        /** {@code bind_password}: the bind password. */
        public Builder bindPassword(Secret bindPassword) {
            this.bindPassword = bindPassword;
            return this;
        }

        /** {@code base_dn}: where users are searched. */
        public Builder baseDn(String baseDn) {
            this.baseDn = baseDn;
            return this;
        }

        /** {@code user_filter}: the user filter with placeholders. */
        public Builder userFilter(String userFilter) {
            this.userFilter = userFilter;
            return this;
        }

        /** {@code member_of_attribute}: the user attribute listing group DNs. */
        public Builder memberOfAttribute(String memberOfAttribute) {
            this.memberOfAttribute = memberOfAttribute;
            return this;
        }

        /** {@code group_search}: search for groups instead of reading {@code memberOf}. */
        public Builder groupSearch(GroupSearch groupSearch) {
            this.groupSearch = groupSearch;
            return this;
        }

        /** {@code rules}: groups and attribute values mapped to policy fields, first match per field. */
        public Builder rules(List<LdapRule> rules) {
            this.rules = rules;
            return this;
        }

        /** {@code pool_size}: the most connections open at once, also the number of lookup threads. */
        public Builder poolSize(Integer poolSize) {
            this.poolSize = poolSize;
            return this;
        }

        /** {@code connect_timeout}: how long to wait for a connection. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /** {@code response_timeout}: how long to wait for one LDAP response. */
        public Builder responseTimeout(Duration responseTimeout) {
            this.responseTimeout = responseTimeout;
            return this;
        }

        /** {@code cache_ttl}: how long a found user's answer is kept. */
        public Builder cacheTtl(Duration cacheTtl) {
            this.cacheTtl = cacheTtl;
            return this;
        }

        /** {@code negative_cache_ttl}: how long an unknown user's answer is kept. */
        public Builder negativeCacheTtl(Duration negativeCacheTtl) {
            this.negativeCacheTtl = negativeCacheTtl;
            return this;
        }

        /** {@code refresh_after}: age after which a read refreshes an entry in the background. */
        public Builder refreshAfter(Duration refreshAfter) {
            this.refreshAfter = refreshAfter;
            return this;
        }

        /** {@code cache_size}: the most users kept. */
        public Builder cacheSize(Integer cacheSize) {
            this.cacheSize = cacheSize;
            return this;
        }

        /** {@code server_names}: the Matrix server names whose users this directory holds (compared without case). */
        public Builder serverNames(List<String> serverNames) {
            this.serverNames = serverNames;
            return this;
        }

        /** The config, validated. */
        public LdapSourceConfig build() {
            return new LdapSourceConfig(url, startTls, trustStore, trustStorePassword, trustAll, bindDn, bindPassword,
                    baseDn, userFilter, memberOfAttribute, groupSearch, rules, poolSize, connectTimeout,
                    responseTimeout, cacheTtl, negativeCacheTtl, refreshAfter, cacheSize, serverNames);
        }
    }
}
