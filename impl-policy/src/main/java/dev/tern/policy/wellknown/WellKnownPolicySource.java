package dev.tern.policy.wellknown;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.spi.Subject;
import dev.tern.policy.AnswerCache;
import dev.tern.api.Tern;
import dev.tern.spi.TurnPolicy;
import dev.tern.spi.PolicyAnswer;
import dev.tern.spi.PolicySource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Policy from a Matrix {@code /.well-known/matrix/client} document: its MSC4096 key
 * {@code im.vector.riot.forceTurn} becomes {@code force_relay} for every user and server-wide.
 *
 * <ul>
 *   <li>{@code true}/{@code false}: that answer; a missing key or a 404: no opinion;</li>
 *   <li>any other value of the key (the string {@code "true"}, {@code 1}, {@code null}, an object): an upstream
 *       error, like a document that is not a JSON object, another HTTP status, a network error or a timeout:
 *       the stage fails, so the engine applies {@code on_error}.</li>
 * </ul>
 *
 * <p>Failures are cached ({@link FailureBackoff}): after a failed fetch, every evaluation fails at once with
 * that failure for {@code failure_backoff}, without asking upstream; each further failure in a row doubles
 * the wait, up to {@code max_failure_backoff}; a success ends it. Concurrent evaluations share one fetch.
 *
 * <p>Redirects (301, 302, 303, 307, 308) are followed, as the Matrix spec asks of clients, up to
 * {@code max_redirects}, never from https to http. Answers are cached for the response's
 * {@code Cache-Control: max-age} clamped to [{@code min_cache}, {@code max_cache}], or
 * {@code min_cache} without one. Fetching uses the host's {@link HttpClient} asynchronously: no
 * thread waits.
 *
 * <p>Thread-safe.
 */
public final class WellKnownPolicySource implements PolicySource {

    private static final Logger LOG = LoggerFactory.getLogger(WellKnownPolicySource.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WellKnownSourceConfig config;
    private final HttpClient http;
    private final String rule;
    private final AnswerCache<URI, Fetched> cache;
    private final FailureBackoff backoff;

    /** An answer and how long it may be used. */
    private record Fetched(PolicyAnswer answer, Duration freshFor) {
    }

    /**
     * @param config the bound config
     * @param http the client to fetch with (the host's)
     * @param clock the time source for the cache
     */
    public WellKnownPolicySource(WellKnownSourceConfig config, HttpClient http, Clock clock) {
        this.config = config;
        this.http = http;
        this.rule = Tern.FORCE_TURN_KEY + " in " + config.documentUri();
        this.backoff = new FailureBackoff(config.failureBackoff(), config.maxFailureBackoff(), clock);
        this.cache = new AnswerCache<>(this::fetchOnce, Fetched::freshFor, null, 1, clock, Runnable::run);
    }

    @Override
    public CompletionStage<PolicyAnswer> evaluate(Subject subject) {
        return evaluateServerWide();
    }

    @Override
    public CompletionStage<PolicyAnswer> evaluateServerWide() {
        Optional<Throwable> standing = backoff.standingFailure();
        if (standing.isPresent()) {
            return CompletableFuture.failedFuture(standing.get());
        }
        return cache.get(config.documentUri()).thenApply(Fetched::answer);
    }

    /** One fetch of the document (the cache shares it among concurrent callers), its outcome recorded once. */
    private CompletableFuture<Fetched> fetchOnce(URI uri) {
        CompletableFuture<Fetched> fetched;
        try {
            fetched = fetch(uri, config.maxRedirects());
        } catch (RuntimeException e) {
            fetched = CompletableFuture.failedFuture(e);
        }
        return fetched.whenComplete((answer, failure) -> {
            if (failure == null) {
                backoff.succeeded();
            } else {
                backoff.failed(failure instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                        ? c.getCause() : failure);
                LOG.debug("Fetching {} failed; asking again in {}", uri, backoff.remaining());
            }
        });
    }

    private CompletableFuture<Fetched> fetch(URI uri, int redirectsLeft) {
        HttpRequest request = HttpRequest.newBuilder(uri).GET().timeout(config.requestTimeout())
                .header("Accept", "application/json").build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenCompose(response -> {
            int status = response.statusCode();
            Optional<String> location = response.headers().firstValue("Location");
            if (isRedirect(status) && location.isPresent()) {
                return follow(uri, location.get(), redirectsLeft);
            }
            Duration freshFor = CacheControl.clamp(CacheControl.maxAge(response.headers().firstValue("Cache-Control"))
                    .orElse(Duration.ZERO), config.minCache(), config.maxCache());
            if (status == 404) {
                return CompletableFuture.completedFuture(new Fetched(PolicyAnswer.NONE, freshFor));
            }
            if (status != 200) {
                return CompletableFuture.failedFuture(new IOException(uri + " answered HTTP " + status));
            }
            return CompletableFuture.completedFuture(new Fetched(read(uri, response.body()), freshFor));
        });
    }

    private CompletableFuture<Fetched> follow(URI from, String location, int redirectsLeft) {
        if (redirectsLeft <= 0) {
            return CompletableFuture.failedFuture(new IOException("too many redirects fetching "
                    + config.documentUri()));
        }
        URI next;
        try {
            next = from.resolve(location.trim());
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new IOException(from + " redirects to an invalid location"));
        }
        if ("https".equalsIgnoreCase(from.getScheme()) && !"https".equalsIgnoreCase(next.getScheme())) {
            return CompletableFuture.failedFuture(new IOException(from + " redirects from https to " + next.getScheme()));
        }
        return fetch(next, redirectsLeft - 1);
    }

    private PolicyAnswer read(URI uri, byte[] body) {
        JsonNode document;
        try {
            document = JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(uri + " is not valid JSON");
        }
        if (document == null || !document.isObject()) {
            throw new IllegalStateException(uri + " is not a JSON object");
        }
        JsonNode force = document.get(Tern.FORCE_TURN_KEY);
        if (force == null) {
            return PolicyAnswer.NONE;
        }
        if (!force.isBoolean()) {
            // "true" in quotes is as much a mistake as 1 or {}: guessing would make a typo upstream change policy.
            throw new IllegalStateException(Tern.FORCE_TURN_KEY + " in " + uri + " is "
                    + (force.isNull() ? "null" : force.isObject() ? "an object" : force.isArray() ? "an array"
                            : "a " + force.getNodeType().name().toLowerCase(java.util.Locale.ROOT))
                    + ", expected true or false (a JSON boolean)");
        }
        return PolicyAnswer.byRule(rule, TurnPolicy.builder().forceRelay(force.booleanValue()).build());
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    @Override
    public void close() {
        cache.clear();
    }
}
