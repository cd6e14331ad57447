package dev.tern.matrix.http;

import dev.tern.api.Tern;
import dev.tern.guard.ClientLogThrottle;
import dev.tern.spi.AccessTokenVerifier;
import dev.tern.spi.ProviderContext;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The framework-neutral core of Tern's Matrix endpoints: a {@link MatrixRequest} in, a {@link MatrixResponse}
 * out. Bindings ({@code dev.tern.matrix.netty}, {@code .servlet}, {@code .jdk}) only translate.
 *
 * <ul>
 *   <li>{@code GET /_matrix/client/{v3,r0,api/v1,unstable}/voip/turnServer}: TURN credentials for the token's
 *       user (401 {@code M_MISSING_TOKEN}/{@code M_UNKNOWN_TOKEN}, 403 {@code M_GUEST_ACCESS_FORBIDDEN}/
 *       {@code M_FORBIDDEN}, 429 {@code M_LIMIT_EXCEEDED} with {@code retry_after_ms}, 503 {@code M_UNKNOWN}
 *       when the token cannot be checked; without TURN {@code 200 {}} or 404 {@code M_NOT_FOUND}); a 200 with
 *       credentials also carries {@value #FORCE_RELAY_KEY}, the user's own forcing decision</li>
 *   <li>{@code GET /.well-known/matrix/client}: the document with {@code im.vector.riot.forceTurn}, per domain
 *       when {@code matrix.domains} is configured (selected by {@code Host})</li>
 *   <li>{@code OPTIONS} on those paths: 200 with CORS headers; other methods 405 {@code M_UNRECOGNIZED};
 *       other paths 404 {@code M_UNRECOGNIZED}</li>
 * </ul>
 *
 * <p>Thread-safe; never blocks the caller. The stage {@link #handle} returns always completes normally: an
 * unexpected failure becomes 500 {@code M_UNKNOWN} without any detail in the body, logged without the query
 * or headers (where tokens travel). The caller owns the {@link Tern} and the verifier and closes them.
 */
public final class MatrixEndpoints {

    /**
     * The key of the {@code /voip/turnServer} answer that says whether this user must relay all media: a boolean,
     * always present next to the credentials. Namespaced in Tern's own reverse-DNS space ({@code dev.tern}), as the
     * spec asks of extension keys; the server-wide MSC4096 key stays {@link Tern#FORCE_TURN_KEY} in the well-known.
     */
    public static final String FORCE_RELAY_KEY = "dev.tern.force_relay";

    private static final Logger LOG = LoggerFactory.getLogger(MatrixEndpoints.class);
    private static final Pattern TURN_SERVER = Pattern.compile("/_matrix/client/(v3|r0|api/v1|unstable)/voip/turnServer");
    private static final String WELL_KNOWN = "/.well-known/matrix/client";

    private final TurnServerEndpoint turnServer;
    private final WellKnownEndpoint wellKnown;
    private final MatrixResponses responses;
    private final boolean cors;

    /**
     * @param config the bound {@code matrix} section
     * @param tern the facade answering credentials and the server-wide policy
     * @param tokens who access tokens belong to
     * @param http the client for the upstream well-known (sidecar mode)
     * @param clock time for rate limits and caches
     */
    public MatrixEndpoints(MatrixConfig config, Tern tern, AccessTokenVerifier tokens, HttpClient http, Clock clock) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(tern, "tern");
        Objects.requireNonNull(tokens, "tokens");
        this.cors = config.cors();
        this.responses = new MatrixResponses(cors);
        ClientAddress clientAddress = new ClientAddress(config.trustedProxyBlocks());
        HostedDomains domains = config.hostedDomains();
        this.turnServer = new TurnServerEndpoint(tern, tokens,
                new RequestLimits(TokenBuckets.perUser(config.rateLimit(), clock),
                        TokenBuckets.perAddress(config.unknownTokenLimit(), clock)),
                clientAddress, new TurnServerAnswers(responses, config.notConfiguredResponse(), domains,
                        new LiveRelayUris(tern.fleet())),
                ClientLogThrottle.perMinute(clock));
        Optional<UpstreamWellKnown> upstream = config.wellKnownUpstreamUri().map(uri -> new UpstreamWellKnown(uri,
                config.wellKnown(), config.wellKnownUpstreamTimeout(), config.wellKnownUpstreamCacheTime(), http, clock));
        this.wellKnown = new WellKnownEndpoint(tern, new WellKnownDocuments(config.wellKnown(), upstream, domains),
                clientAddress, config.forceTurnFalseWhenNotForced(), config.cacheMaxAge(), responses);
    }

    /** The endpoints with the host's shared HTTP client and clock. */
    public static MatrixEndpoints create(MatrixConfig config, Tern tern, AccessTokenVerifier tokens,
            ProviderContext context) {
        return new MatrixEndpoints(config, tern, tokens, context.httpClient(), context.clock());
    }

    /**
     * Token buckets the rate limits hold now ({@code rate_limit} per user plus {@code unknown_token_limit} per
     * address); a bucket goes once it is full again, so with no requests this returns to 0. For metrics.
     */
    public long rateLimitBuckets() {
        return turnServer.rateLimitBuckets();
    }

    /** Answers a request. The stage always completes normally. */
    public CompletionStage<MatrixResponse> handle(MatrixRequest request) {
        CompletionStage<MatrixResponse> answer;
        try {
            answer = route(request);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.exceptionally(failure -> {
            Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
            LOG.error("{} failed: {}", request, cause.getClass().getName());
            return responses.error(500, "M_UNKNOWN", "Internal server error");
        });
    }

    /** A Matrix error with this module's headers, for bindings that refuse a request before it gets here. */
    public MatrixResponse error(int status, String errcode, String message) {
        return responses.error(status, errcode, message);
    }

    private CompletionStage<MatrixResponse> route(MatrixRequest request) {
        String path = request.path();
        boolean turn = TURN_SERVER.matcher(path).matches();
        boolean known = turn || path.equals(WELL_KNOWN);
        if (!known) {
            return done(responses.error(404, "M_UNRECOGNIZED", "Unrecognized request"));
        }
        String method = request.upperMethod();
        if (method.equals("OPTIONS")) {
            return done(responses.json(200, Map.of(), "no-store", Map.of("Allow", "GET, OPTIONS")));
        }
        if (!method.equals("GET")) {
            return done(responses.error(405, "M_UNRECOGNIZED", "Unrecognized request", Map.of(),
                    Map.of("Allow", "GET, OPTIONS")));
        }
        return turn ? turnServer.handle(request) : wellKnown.handle(request);
    }

    private static CompletionStage<MatrixResponse> done(MatrixResponse response) {
        return CompletableFuture.completedFuture(response);
    }

    @Override
    public String toString() {
        return "MatrixEndpoints[cors=" + cors + "]";
    }
}
