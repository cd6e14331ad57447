package dev.tern.policy.wellknown;

import dev.tern.spi.SettingChecks;

import static dev.tern.spi.SettingChecks.positive;

import dev.tern.host.DurationText;
import dev.tern.spi.InvalidSettingException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;

/**
 * Config of the {@code well-known} policy source.
 *
 * <pre>{@code
 * - type: well-known
 *   server_name: example.org        # fetches https://example.org/.well-known/matrix/client
 *   # url: https://www.example.org/.well-known/matrix/client   (instead of server_name)
 *   request_timeout: 5s
 *   min_cache: 1m                   # floor for Cache-Control max-age (and the time used without one)
 *   max_cache: 1h                   # ceiling for Cache-Control max-age
 *   max_redirects: 5
 *   failure_backoff: 5s             # after a failed fetch, fail at once for this long without asking again
 *   max_failure_backoff: 5m         # each failure in a row doubles the wait, up to this
 * }</pre>
 *
 * <p>Immutable and thread-safe; bad values are refused with {@link InvalidSettingException} naming
 * the key.
 *
 * @param url the document's URL, {@code http} or {@code https}
 * @param serverName the Matrix server name whose document to fetch over https
 * @param requestTimeout how long one HTTP exchange may take (default 5s)
 * @param minCache the shortest time an answer is kept (default 1m)
 * @param maxCache the longest time an answer is kept (default 1h)
 * @param maxRedirects how many redirects are followed (default 5)
 * @param failureBackoff how long a failed fetch stands for the answer before the next fetch (default 5s)
 * @param maxFailureBackoff the longest that wait grows to, doubling with each failure in a row (default 5m)
 */
public record WellKnownSourceConfig(String url, String serverName, Duration requestTimeout, Duration minCache,
        Duration maxCache, Integer maxRedirects, Duration failureBackoff, Duration maxFailureBackoff) {

    /** How long the first failed fetch is cached when {@code failure_backoff} is not given. */
    public static final Duration DEFAULT_FAILURE_BACKOFF = Duration.ofSeconds(5);
    /** The ceiling of the failure back-off when {@code max_failure_backoff} is not given. */
    public static final Duration DEFAULT_MAX_FAILURE_BACKOFF = Duration.ofMinutes(5);

    public WellKnownSourceConfig {
        if ((url == null) == (serverName == null)) {
            throw new InvalidSettingException("url", "give exactly one of url or server_name");
        }
        if (url != null) {
            checkUrl(url);
        } else if (serverName.isBlank() || serverName.contains("/")) {
            throw new InvalidSettingException("server_name", "must be a server name like example.org");
        } else {
            checkUrl("https://" + serverName + "/.well-known/matrix/client");
        }
        requestTimeout = positive("request_timeout", requestTimeout, Duration.ofSeconds(5));
        minCache = positive("min_cache", minCache, Duration.ofMinutes(1));
        maxCache = positive("max_cache", maxCache, Duration.ofHours(1));
        if (maxCache.compareTo(minCache) < 0) {
            throw new InvalidSettingException("max_cache", "must not be shorter than min_cache (" + minCache + ")");
        }
        failureBackoff = positive("failure_backoff", failureBackoff, DEFAULT_FAILURE_BACKOFF);
        maxFailureBackoff = positive("max_failure_backoff", maxFailureBackoff, DEFAULT_MAX_FAILURE_BACKOFF);
        if (maxFailureBackoff.compareTo(failureBackoff) < 0) {
            throw new InvalidSettingException("max_failure_backoff", "must not be shorter than failure_backoff ("
                    + DurationText.format(failureBackoff) + ")");
        }
        maxRedirects = SettingChecks.within("max_redirects", maxRedirects, 5, 0, 20);
    }

    /** The URL to fetch. */
    public URI documentUri() {
        return URI.create(url != null ? url.trim() : "https://" + serverName + "/.well-known/matrix/client");
    }

    private static void checkUrl(String text) {
        try {
            URI uri = new URI(text.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new URISyntaxException(text, "not http(s)");
            }
        } catch (URISyntaxException e) {
            throw new InvalidSettingException("url", "'" + text + "' is not an http(s) URL (expected like "
                    + "https://example.org/.well-known/matrix/client)");
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
     * Builds a {@link WellKnownSourceConfig} by naming each setting, for Java callers (config files bind the record
     * itself). A setting not set, or set to {@code null}, gets its default; {@link #build()} validates like
     * binding does and throws {@link InvalidSettingException} naming the key. Not thread-safe.
     */
    public static final class Builder {
        private String url;
        private String serverName;
        private Duration requestTimeout;
        private Duration minCache;
        private Duration maxCache;
        private Integer maxRedirects;
        private Duration failureBackoff;
        private Duration maxFailureBackoff;

        private Builder() {
        }

        private Builder(WellKnownSourceConfig from) {
            url = from.url;
            serverName = from.serverName;
            requestTimeout = from.requestTimeout;
            minCache = from.minCache;
            maxCache = from.maxCache;
            maxRedirects = from.maxRedirects;
            failureBackoff = from.failureBackoff;
            maxFailureBackoff = from.maxFailureBackoff;
        }

        /** {@code url}: the document's URL, {@code http} or {@code https}. */
        public Builder url(String url) {
            this.url = url;
            return this;
        }

        /** {@code server_name}: the Matrix server name whose document to fetch over https. */
        public Builder serverName(String serverName) {
            this.serverName = serverName;
            return this;
        }

        /** {@code request_timeout}: how long one HTTP exchange may take. */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        /** {@code min_cache}: the shortest time an answer is kept. */
        public Builder minCache(Duration minCache) {
            this.minCache = minCache;
            return this;
        }

        /** {@code max_cache}: the longest time an answer is kept. */
        public Builder maxCache(Duration maxCache) {
            this.maxCache = maxCache;
            return this;
        }

        /** {@code max_redirects}: how many redirects are followed. */
        public Builder maxRedirects(Integer maxRedirects) {
            this.maxRedirects = maxRedirects;
            return this;
        }

        /** {@code failure_backoff}: how long a failed fetch stands for the answer before the next fetch. */
        public Builder failureBackoff(Duration failureBackoff) {
            this.failureBackoff = failureBackoff;
            return this;
        }

        /** {@code max_failure_backoff}: the longest that wait grows to, doubling with each failure in a row. */
        public Builder maxFailureBackoff(Duration maxFailureBackoff) {
            this.maxFailureBackoff = maxFailureBackoff;
            return this;
        }

        /** The config, validated. */
        public WellKnownSourceConfig build() {
            return new WellKnownSourceConfig(url, serverName, requestTimeout, minCache, maxCache, maxRedirects,
                    failureBackoff, maxFailureBackoff);
        }
    }
}
