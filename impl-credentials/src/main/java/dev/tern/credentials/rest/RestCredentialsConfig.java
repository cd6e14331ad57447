package dev.tern.credentials.rest;

import static dev.tern.spi.SettingChecks.within;

import dev.tern.spi.Secret;
import dev.tern.credentials.UriList;
import dev.tern.spi.InvalidSettingException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The {@code credentials: {type: rest}} section: TURN REST API credentials as Synapse and coturn make them.
 *
 * <pre>{@code
 * credentials:
 *   type: rest
 *   secrets: ["${TURN_SECRET}"]           # the first signs, all verify
 *   secret_files: [/etc/tern/turn.secret] # one secret per file, re-read when the file changes
 *   lifetime: 1h
 *   uris: ["turn:turn.example.org:3478?transport=udp", "turns:turn.example.org:443?transport=tcp"]
 *   max_validity: 7d                      # relay side: usernames expiring later than this are refused
 * }</pre>
 *
 * <p>Immutable and thread-safe. Absent keys get their defaults; a bad value throws
 * {@link InvalidSettingException} naming the key, and no message ever shows a secret.
 *
 * @param secrets shared secrets; the first signs, every one verifies (default none)
 * @param secretFiles files holding one secret each (surrounding whitespace ignored), after {@code secrets}
 *     in the list; relative paths are resolved against the config directory (default none)
 * @param allowWeakSecret accept secrets shorter than 16 bytes (default {@code false})
 * @param lifetime how long credentials stay valid (default 1h, like Synapse; 1s to 366d)
 * @param uris the {@code turn:}/{@code turns:} URIs clients get (default none)
 * @param separator the character between timestamp and user, coturn's {@code rest-api-separator}
 *     (default {@code :})
 * @param clockSkew how long after its expiry a username is still accepted by the verifier, for relays whose
 *     clock runs ahead of the issuer's (default 30s; 0 is coturn-strict)
 * @param cacheSize how many users' credentials are kept for reuse within half the lifetime (default 10000;
 *     0 turns reuse off)
 * @param secretReloadInterval how often {@code secret_files} are checked for changes (default 10s)
 * @param maxValidity how far ahead of now a username's expiry may lie for the verifier to accept it: a
 *     username expiring later (like one made for the year 9999) is refused, as no issuer of this
 *     configuration makes it (default 7d, or {@code lifetime} when that is longer, so day-long coturn-era
 *     credentials keep working; at least {@code lifetime}; at most 3660d). The clock skew allowance applies
 *     here too
 */
public record RestCredentialsConfig(
        List<Secret> secrets,
        List<Path> secretFiles,
        Boolean allowWeakSecret,
        Duration lifetime,
        List<String> uris,
        String separator,
        Duration clockSkew,
        Integer cacheSize,
        Duration secretReloadInterval,
        Duration maxValidity) {

    static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);
    static final Duration MAX_LIFETIME = Duration.ofDays(366);
    static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);
    static final int DEFAULT_CACHE_SIZE = 10_000;
    static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(10);
    static final Duration DEFAULT_MAX_VALIDITY = Duration.ofDays(7);
    static final Duration MAX_MAX_VALIDITY = Duration.ofDays(3660);

    public RestCredentialsConfig {
        secrets = secrets == null ? List.of() : secrets;
        secretFiles = secretFiles == null ? List.of() : secretFiles;
        allowWeakSecret = allowWeakSecret != null && allowWeakSecret;
        for (int i = 0; i < secrets.size(); i++) {
            if (secrets.get(i) == null) {
                throw new InvalidSettingException("secrets[" + i + "]", "is empty; expected a random secret");
            }
            SecretRing.requireStrong("secrets[" + i + "]", secrets.get(i), allowWeakSecret);
        }
        for (int i = 0; i < secretFiles.size(); i++) {
            if (secretFiles.get(i) == null) {
                throw new InvalidSettingException("secret_files[" + i + "]", "is empty; expected a file path");
            }
        }
        secrets = List.copyOf(secrets);
        secretFiles = List.copyOf(secretFiles);
        if (secrets.isEmpty() && secretFiles.isEmpty()) {
            throw new InvalidSettingException("secrets", "at least one secret is needed: give secrets or secret_files");
        }
        lifetime = within("lifetime", lifetime, DEFAULT_LIFETIME, Duration.ofSeconds(1), MAX_LIFETIME);
        uris = UriList.validate(uris);
        separator = separator == null ? ":" : separator;
        if (separator.length() != 1 || Character.isDigit(separator.charAt(0))
                || Character.isWhitespace(separator.charAt(0)) || Character.isISOControl(separator.charAt(0))) {
            throw new InvalidSettingException("separator", "must be one character that is not a digit or a space, "
                    + "like ':' (the default) or '-'");
        }
        clockSkew = within("clock_skew", clockSkew, DEFAULT_CLOCK_SKEW, Duration.ZERO, Duration.ofDays(1));
        cacheSize = cacheSize == null ? DEFAULT_CACHE_SIZE : cacheSize;
        if (cacheSize < 0) {
            throw new InvalidSettingException("cache_size", "must be 0 (no reuse) or a positive number of users");
        }
        secretReloadInterval = secretReloadInterval == null ? DEFAULT_RELOAD_INTERVAL : secretReloadInterval;
        if (secretReloadInterval.compareTo(Duration.ofMillis(100)) < 0) {
            throw new InvalidSettingException("secret_reload_interval", "must be at least 100ms, like 10s");
        }
        if (maxValidity == null) {
            maxValidity = lifetime.compareTo(DEFAULT_MAX_VALIDITY) > 0 ? lifetime : DEFAULT_MAX_VALIDITY;
        } else if (maxValidity.compareTo(lifetime) < 0 || maxValidity.compareTo(MAX_MAX_VALIDITY) > 0) {
            throw new InvalidSettingException("max_validity", "must be between lifetime (" + lifetime.toSeconds()
                    + "s) and 3660d, like 7d: usernames expiring further ahead than this are refused");
        }
    }

    /** A config with these secrets and URIs and every other key at its default. */
    public static RestCredentialsConfig of(List<Secret> secrets, List<String> uris) {
        return builder().secrets(secrets).uris(uris).build();
    }

    /** The separator as a character. */
    public char separatorChar() {
        return separator.charAt(0);
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
     * Builds a {@link RestCredentialsConfig} by naming each setting, for Java callers (config files bind the record
     * itself). A setting not set, or set to {@code null}, gets its default; {@link #build()} validates like
     * binding does and throws {@link InvalidSettingException} naming the key. Not thread-safe.
     */
    public static final class Builder {
        private List<Secret> secrets;
        private List<Path> secretFiles;
        private Boolean allowWeakSecret;
        private Duration lifetime;
        private List<String> uris;
        private String separator;
        private Duration clockSkew;
        private Integer cacheSize;
        private Duration secretReloadInterval;
        private Duration maxValidity;

        private Builder() {
        }

        private Builder(RestCredentialsConfig from) {
            secrets = from.secrets;
            secretFiles = from.secretFiles;
            allowWeakSecret = from.allowWeakSecret;
            lifetime = from.lifetime;
            uris = from.uris;
            separator = from.separator;
            clockSkew = from.clockSkew;
            cacheSize = from.cacheSize;
            secretReloadInterval = from.secretReloadInterval;
            maxValidity = from.maxValidity;
        }

        /** {@code secrets}: shared secrets. */
        public Builder secrets(List<Secret> secrets) {
            this.secrets = secrets;
            return this;
        }

        /**
         * {@code secret_files}: files holding one secret each (surrounding whitespace ignored), after {@code
         * secrets} in the list.
         */
        public Builder secretFiles(List<Path> secretFiles) {
            this.secretFiles = secretFiles;
            return this;
        }

        /** {@code allow_weak_secret}: accept secrets shorter than 16 bytes. */
        public Builder allowWeakSecret(Boolean allowWeakSecret) {
            this.allowWeakSecret = allowWeakSecret;
            return this;
        }

        /** {@code lifetime}: how long credentials stay valid. */
        public Builder lifetime(Duration lifetime) {
            this.lifetime = lifetime;
            return this;
        }

        /** {@code uris}: the {@code turn:}/{@code turns:} URIs clients get. */
        public Builder uris(List<String> uris) {
            this.uris = uris;
            return this;
        }

        /** {@code separator}: the character between timestamp and user, coturn's {@code rest-api-separator}. */
        public Builder separator(String separator) {
            this.separator = separator;
            return this;
        }

        /**
         * {@code clock_skew}: how long after its expiry a username is still accepted by the verifier, for relays
         * whose clock runs ahead of the issuer's.
         */
        public Builder clockSkew(Duration clockSkew) {
            this.clockSkew = clockSkew;
            return this;
        }

        /** {@code cache_size}: how many users' credentials are kept for reuse within half the lifetime. */
        public Builder cacheSize(Integer cacheSize) {
            this.cacheSize = cacheSize;
            return this;
        }

        /** {@code secret_reload_interval}: how often {@code secret_files} are checked for changes. */
        public Builder secretReloadInterval(Duration secretReloadInterval) {
            this.secretReloadInterval = secretReloadInterval;
            return this;
        }

        /**
         * {@code max_validity}: how far ahead of now a username's expiry may lie for the verifier to accept it: a
         * username expiring later (like one made for the year 9999) is refused, as no issuer of this configuration
         * makes it.
         */
        public Builder maxValidity(Duration maxValidity) {
            this.maxValidity = maxValidity;
            return this;
        }

        /** The config, validated. */
        public RestCredentialsConfig build() {
            return new RestCredentialsConfig(secrets, secretFiles, allowWeakSecret, lifetime, uris, separator,
                    clockSkew, cacheSize, secretReloadInterval, maxValidity);
        }
    }
}
