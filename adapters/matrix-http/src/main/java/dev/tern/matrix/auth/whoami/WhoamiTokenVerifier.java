package dev.tern.matrix.auth.whoami;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.tern.spi.Subject;
import dev.tern.guard.ClientLogThrottle;
import dev.tern.spi.AccessTokenVerifier;
import dev.tern.matrix.auth.TokenDigest;
import dev.tern.spi.TokenResult;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the homeserver who a token belongs to ({@code GET /_matrix/client/v3/account/whoami} with the token
 * as {@code Authorization: Bearer}) and remembers the answer: users for {@code cache_time}, unknown tokens
 * for {@code failure_cache_time}; an unreachable or confused homeserver ({@link TokenResult.Unavailable}) is
 * not remembered, so the next request asks again. Concurrent requests with the same token share one call.
 * The cache is bounded and keyed by the token's SHA-256, never the token.
 *
 * <p>Thread-safe; never blocks the caller; never throws for any token; never logs a token.
 */
public final class WhoamiTokenVerifier implements AccessTokenVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(WhoamiTokenVerifier.class);

    private final ClientLogThrottle log;
    private static final int MAX_BODY = 64 * 1024;

    private final URI whoami;
    private final HttpClient http;
    private final Duration timeout;
    private final ObjectMapper json = new ObjectMapper();
    private final AsyncCache<String, TokenResult> cache;

    public WhoamiTokenVerifier(WhoamiConfig config, HttpClient http, Clock clock) {
        this.log = ClientLogThrottle.perMinute(clock);
        this.whoami = URI.create(config.homeserver() + "/_matrix/client/v3/account/whoami");
        this.http = http;
        this.timeout = config.timeout();
        long hitNanos = config.cacheTime().toNanos();
        long missNanos = config.failureCacheTime().toNanos();
        this.cache = Caffeine.newBuilder()
                .maximumSize(config.cacheSize())
                .ticker(() -> clock.millis() * 1_000_000L)
                .expireAfter(Expiry.<String, TokenResult>creating((key, result) -> Duration.ofNanos(
                        result instanceof TokenResult.Valid ? hitNanos
                                : result instanceof TokenResult.Unknown ? missNanos : 0)))
                .buildAsync();
    }

    @Override
    public CompletionStage<TokenResult> verify(String accessToken) {
        if (accessToken.isEmpty() || accessToken.length() > 4096 || !accessToken.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            // Not something a homeserver issues, and not safe to put in a header.
            return CompletableFuture.completedFuture(new TokenResult.Unknown());
        }
        return cache.get(TokenDigest.of(accessToken), (key, executor) -> ask(accessToken));
    }

    private CompletableFuture<TokenResult> ask(String accessToken) {
        HttpRequest request = HttpRequest.newBuilder(whoami)
                .timeout(timeout)
                .header("Authorization", "Bearer " + accessToken)
                .header("Accept", "application/json")
                .GET()
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .orTimeout(timeout.toMillis() + 500, java.util.concurrent.TimeUnit.MILLISECONDS)
                .handle((response, failure) -> failure == null ? read(response) : unavailable(failure));
    }

    private TokenResult read(HttpResponse<byte[]> response) {
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            return new TokenResult.Unknown();
        }
        if (status != 200) {
            return logged(new TokenResult.Unavailable("the homeserver answered whoami with HTTP " + status));
        }
        try {
            if (response.body().length > MAX_BODY) {
                throw new IOException("body over " + MAX_BODY + " bytes");
            }
            JsonNode body = json.readTree(response.body());
            JsonNode userId = body == null ? null : body.get("user_id");
            if (userId == null || !userId.isTextual()) {
                return logged(new TokenResult.Unavailable("the homeserver's whoami answer has no user_id"));
            }
            Subject.user(userId.asText()); // refuses anything that is not a Matrix user id
            JsonNode device = body.get("device_id");
            return new TokenResult.Valid(userId.asText(), body.path("is_guest").asBoolean(false),
                    device != null && device.isTextual() ? Optional.of(device.asText()) : Optional.empty());
        } catch (IOException | IllegalArgumentException e) {
            return logged(new TokenResult.Unavailable("the homeserver's whoami answer is not a whoami response"));
        }
    }

    private TokenResult unavailable(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        String why = cause instanceof HttpTimeoutException || cause instanceof java.util.concurrent.TimeoutException
                ? "the homeserver did not answer whoami within " + timeout.toMillis() + "ms"
                : "cannot reach the homeserver for whoami (" + cause.getClass().getSimpleName() + ")";
        return logged(new TokenResult.Unavailable(why));
    }

    // Each client request can end here while the homeserver is down: one line per reason and minute.
    private TokenResult logged(TokenResult.Unavailable result) {
        log.admit(result.reason()).ifPresent(line -> LOG.warn("Access token not checked: {} ({} since the last such "
                + "line)", line.key(), line.count()));
        return result;
    }

    @Override
    public void close() {
        cache.synchronous().invalidateAll();
    }

    @Override
    public String toString() {
        return "WhoamiTokenVerifier[" + whoami + "]";
    }
}
