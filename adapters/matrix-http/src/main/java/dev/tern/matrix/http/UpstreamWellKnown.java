package dev.tern.matrix.http;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sidecar mode: the homeserver's own well-known, fetched with a timeout and reused for a while. When the
 * upstream fails, hangs, or answers something that is not a well-known document (no JSON object, no
 * {@code m.homeserver.base_url}), the configured document is served instead and the reason logged.
 *
 * <p>Thread-safe. {@link #document()} never fails and never takes much longer than the timeout; concurrent
 * callers share one fetch.
 */
final class UpstreamWellKnown {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamWellKnown.class);
    private static final int MAX_BODY = 64 * 1024;
    private static final String KEY = "well-known";

    private final URI upstream;
    private final Map<String, Object> fallback;
    private final HttpClient http;
    private final Duration timeout;
    private final ObjectMapper json = new ObjectMapper();
    private final AsyncLoadingCache<String, Map<String, Object>> cache;

    UpstreamWellKnown(URI upstream, Map<String, Object> fallback, Duration timeout, Duration cacheTime,
            HttpClient http, Clock clock) {
        this.upstream = upstream;
        this.fallback = fallback;
        this.http = http;
        this.timeout = timeout;
        this.cache = Caffeine.newBuilder()
                .maximumSize(1)
                .ticker(() -> clock.millis() * 1_000_000L)
                .expireAfterWrite(cacheTime)
                .buildAsync((key, executor) -> fetch());
    }

    CompletableFuture<Map<String, Object>> document() {
        return cache.get(KEY);
    }

    private CompletableFuture<Map<String, Object>> fetch() {
        HttpRequest request = HttpRequest.newBuilder(upstream).timeout(timeout)
                .header("Accept", "application/json").GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .orTimeout(timeout.toMillis() + 500, TimeUnit.MILLISECONDS)
                .handle((response, failure) -> {
                    if (failure != null) {
                        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                        return fallback("did not answer in time or could not be reached ("
                                + cause.getClass().getSimpleName() + ")");
                    }
                    return parse(response);
                });
    }

    private Map<String, Object> parse(HttpResponse<byte[]> response) {
        if (response.statusCode() != 200) {
            return fallback("answered HTTP " + response.statusCode());
        }
        if (response.body().length > MAX_BODY) {
            return fallback("answered more than " + MAX_BODY + " bytes");
        }
        try {
            Map<String, Object> document = json.readValue(response.body(), new TypeReference<Map<String, Object>>() { });
            if (document == null || !WellKnownDocument.hasBaseUrl(document)) {
                return fallback("answered a JSON object without m.homeserver.base_url");
            }
            return java.util.Collections.unmodifiableMap(document);
        } catch (java.io.IOException e) {
            return fallback("answered something that is not a JSON object");
        }
    }

    private Map<String, Object> fallback(String why) {
        LOG.warn("Upstream well-known {} {}; serving the configured well_known", upstream, why);
        return fallback;
    }
}
