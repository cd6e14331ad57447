package dev.tern.fleet.redis;

import static dev.tern.spi.SettingChecks.within;

import dev.tern.spi.Secret;
import dev.tern.spi.InvalidSettingException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Config of the {@code redis} fleet (the top-level {@code fleet:} section).
 *
 * <pre>{@code
 * fleet:
 *   type: redis
 *   uri: rediss://redis.example.org:6380      # redis:// or rediss:// (TLS); no password in it
 *   password_file: /run/secrets/redis         # Redis AUTH (requirepass or an ACL user's password)
 *   username: tern                            # an ACL user (default: Redis's default user)
 *   ca_file: /etc/tern/redis-ca.pem           # trust for rediss:// (default: the JVM's trusted CAs)
 *   namespace: tern                           # key prefix, one per fleet sharing a Redis
 *   relay_id: relay-1                         # default: host name and the relay's first port
 *   heartbeat: 1s
 *   missed_beats: 3                           # a relay is gone after this many missed beats
 *   timeout: 250ms                            # one Redis command; an Allocate waits at most this long
 *   credential_lifetime: 1h                   # credentials.lifetime: how far revocation looks back
 * }</pre>
 *
 * <p>Immutable and thread-safe. Every value is checked here; a bad one is an {@link InvalidSettingException}
 * naming the key (never showing the password).
 *
 * @param uri {@code redis://host[:port][/db]} or {@code rediss://...} (required; no user info)
 * @param username the ACL user to authenticate as, if any (needs {@code password})
 * @param password the password Redis asks for ({@code requirepass}), if any; {@code password_file} reads it
 * @param caFile PEM certificates to trust for {@code rediss://} instead of the JVM's
 * @param namespace the prefix of every key and channel (default {@code tern}; letters, digits, {@code -_.})
 * @param relayId this relay's id in the fleet; empty means the host then chooses (host name and port)
 * @param heartbeat how often the relay publishes its status (default 1s; 100ms to 1m)
 * @param missedBeats after how many missed beats a relay and its leases are gone (default 3; 2 to 60)
 * @param timeout how long one Redis command may take before the relay goes on alone (default 250ms; 10ms to 10s)
 * @param credentialLifetime the credential issuer's lifetime: a revoked user's credentials that expire no later
 *     than the revocation time plus this were issued before it and are refused (default 1h; 1s to 366d)
 */
public record RedisFleetConfig(String uri, String username, Secret password, Path caFile, String namespace,
        String relayId, Duration heartbeat, Integer missedBeats, Duration timeout, Duration credentialLifetime) {

    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern RELAY_ID = Pattern.compile("[A-Za-z0-9_.:\\[\\]-]{1,128}");

    public RedisFleetConfig {
        if (uri == null || uri.isBlank()) {
            throw new InvalidSettingException("uri", "is required (expected redis://host:6379 or rediss://host:6380)");
        }
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            throw new InvalidSettingException("uri", "is not a URI (expected redis://host:6379 or rediss://host:6380)");
        }
        String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            throw new InvalidSettingException("uri", "must start with redis:// or rediss:// (TLS)");
        }
        if (parsed.getRawUserInfo() != null) {
            // The URI is shown in logs and the effective config; a password in it would travel with it.
            throw new InvalidSettingException("uri", "must not hold a user or password; use username and "
                    + "password_file");
        }
        if (parsed.getHost() == null) {
            throw new InvalidSettingException("uri", "needs a host (expected redis://host:6379)");
        }
        if (username != null && (username.isBlank() || password == null)) {
            throw new InvalidSettingException("username", username.isBlank() ? "must not be blank"
                    : "needs password (or password_file)");
        }
        if (caFile != null && !scheme.equals("rediss")) {
            throw new InvalidSettingException("ca_file", "applies to rediss:// only (uri is not TLS)");
        }
        namespace = namespace == null ? "tern" : namespace;
        if (!NAMESPACE.matcher(namespace).matches()) {
            throw new InvalidSettingException("namespace", "must be 1 to 64 letters, digits or -_. (found '"
                    + namespace + "')");
        }
        relayId = relayId == null ? "" : relayId;
        if (!relayId.isEmpty() && !RELAY_ID.matcher(relayId).matches()) {
            throw new InvalidSettingException("relay_id", "must be 1 to 128 letters, digits or -_.:[] (found '"
                    + relayId + "')");
        }
        heartbeat = within("heartbeat", heartbeat, Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofMinutes(1));
        missedBeats = within("missed_beats", missedBeats, 3, 2, 60);
        timeout = within("timeout", timeout, Duration.ofMillis(250), Duration.ofMillis(10), Duration.ofSeconds(10));
        credentialLifetime = within("credential_lifetime", credentialLifetime, Duration.ofHours(1),
                Duration.ofSeconds(1), Duration.ofDays(366));
    }

    /** Whether the connection is TLS ({@code rediss://}). */
    public boolean tls() {
        return uri.regionMatches(true, 0, "rediss:", 0, 7);
    }

    /** How long a relay's registration and leases live without a beat. */
    public Duration expiry() {
        return heartbeat.multipliedBy(missedBeats);
    }

    /** This config with a relative {@code ca_file} resolved against the config directory. */
    public RedisFleetConfig resolve(Path configDirectory) {
        return caFile == null || caFile.isAbsolute() ? this
                : toBuilder().caFile(configDirectory.resolve(caFile).normalize()).build();
    }

    /** A builder with every setting unset (so at its default where it has one). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings, to build a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.uri = uri;
        b.username = username;
        b.password = password;
        b.caFile = caFile;
        b.namespace = namespace;
        b.relayId = relayId;
        b.heartbeat = heartbeat;
        b.missedBeats = missedBeats;
        b.timeout = timeout;
        b.credentialLifetime = credentialLifetime;
        return b;
    }

    /** Sets RedisFleetConfig's settings by name; {@link #build} checks them as the canonical constructor does. Not thread-safe. */
    public static final class Builder {

        private String uri;
        private String username;
        private Secret password;
        private Path caFile;
        private String namespace;
        private String relayId;
        private Duration heartbeat;
        private Integer missedBeats;
        private Duration timeout;
        private Duration credentialLifetime;

        private Builder() {
        }

        /** Sets {@code uri}. */
        public Builder uri(String uri) {
            this.uri = uri;
            return this;
        }

        /** Sets {@code username}. */
        public Builder username(String username) {
            this.username = username;
            return this;
        }

        /** Sets {@code password}. */
        public Builder password(Secret password) {
            this.password = password;
            return this;
        }

        /** Sets {@code caFile}. */
        public Builder caFile(Path caFile) {
            this.caFile = caFile;
            return this;
        }

        /** Sets {@code namespace}. */
        public Builder namespace(String namespace) {
            this.namespace = namespace;
            return this;
        }

        /** Sets {@code relayId}. */
        public Builder relayId(String relayId) {
            this.relayId = relayId;
            return this;
        }

        /** Sets {@code heartbeat}. */
        public Builder heartbeat(Duration heartbeat) {
            this.heartbeat = heartbeat;
            return this;
        }

        /** Sets {@code missedBeats}. */
        public Builder missedBeats(Integer missedBeats) {
            this.missedBeats = missedBeats;
            return this;
        }

        /** Sets {@code timeout}. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** Sets {@code credentialLifetime}. */
        public Builder credentialLifetime(Duration credentialLifetime) {
            this.credentialLifetime = credentialLifetime;
            return this;
        }

        /** The settings, checked. */
        public RedisFleetConfig build() {
            return new RedisFleetConfig(uri, username, password, caFile, namespace, relayId, heartbeat, missedBeats, timeout, credentialLifetime);
        }
    }
}
