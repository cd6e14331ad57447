package dev.tern.matrix.http;

import dev.tern.api.CredentialsOutcome;
import dev.tern.spi.Subject;
import dev.tern.api.Tern;
import dev.tern.spi.TurnCredentials;
import dev.tern.guard.ClientLogThrottle;
import dev.tern.spi.AccessTokenVerifier;
import dev.tern.spi.TokenResult;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /_matrix/client/{v3,r0,api/v1,unstable}/voip/turnServer}: token, rate limit, policy, credentials.
 * The answer carries the user's own decision in {@value MatrixEndpoints#FORCE_RELAY_KEY}: {@code true} when the
 * policy (or the user's domain's {@code force_relay}) forces relay for this user, {@code false} otherwise.
 *
 * <p>Thread-safe. The stage it returns always completes with a response (errors in Matrix form).
 */
final class TurnServerEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(TurnServerEndpoint.class);

    private final Tern tern;
    private final AccessTokenVerifier tokens;
    private final TokenBuckets perUser;
    private final TokenBuckets unknownTokensPerAddress;
    private final ClientAddress clientAddress;
    private final NotConfiguredResponse notConfigured;
    private final HostedDomains domains;
    private final MatrixResponses responses;
    private final ClientLogThrottle log;
    private final LiveRelayUris relays;

    /**
     * @param limits the per-user and per-address (unknown tokens) rate limits
     * @param clientAddress who the client is, behind trusted proxies
     * @param answers what shapes the answer once policy has spoken
     * @param log throttles the lines a client causes (by address, or by user once the token is known)
     */
    TurnServerEndpoint(Tern tern, AccessTokenVerifier tokens, RequestLimits limits, ClientAddress clientAddress,
            TurnServerAnswers answers, ClientLogThrottle log) {
        this.tern = tern;
        this.tokens = tokens;
        this.perUser = limits.perUser();
        this.unknownTokensPerAddress = limits.unknownTokensPerAddress();
        this.clientAddress = clientAddress;
        this.notConfigured = answers.notConfigured();
        this.domains = answers.domains();
        this.responses = answers.responses();
        this.log = log;
        this.relays = answers.relays();
    }

    CompletionStage<MatrixResponse> handle(MatrixRequest request) {
        RequestToken.Found found = RequestToken.from(request);
        if (found.token().isEmpty()) {
            return done(responses.error(401, "M_MISSING_TOKEN", found.problem()));
        }
        InetAddress client = clientAddress.of(request);
        String addressKey = ClientAddress.limitKey(client);
        // Taken before the token is checked, so that requests in flight count too; given back below
        // unless the token turns out unknown.
        long waitMs = unknownTokensPerAddress.acquire(addressKey);
        if (waitMs > 0) {
            log.admit("unknown-tokens", addressKey).ifPresent(line -> LOG.info("turnServer: too many unknown access tokens from {}; "
                    + "not checking them ({} refused with 429 since the last such line; retry in {}ms)", line.key(),
                    line.count(), waitMs));
            return done(limited(waitMs));
        }
        CompletionStage<TokenResult> verified;
        try {
            verified = tokens.verify(found.token().get());
        } catch (RuntimeException e) {
            verified = CompletableFuture.completedFuture(
                    new TokenResult.Unavailable("the access token verifier threw " + e.getClass().getSimpleName()));
        }
        return verified.thenCompose(result -> {
            if (!(result instanceof TokenResult.Unknown)) {
                unknownTokensPerAddress.refund(addressKey);
            }
            if (result instanceof TokenResult.Valid valid) {
                return forUser(valid, client);
            }
            if (result instanceof TokenResult.Unavailable unavailable) {
                log.admit("unavailable", addressKey).ifPresent(line -> LOG.warn("turnServer for {}: access token not checked: {} "
                        + "({} from {} since the last such line)", request, unavailable.reason(), line.count(), line.key()));
                return done(responses.error(503, "M_UNKNOWN", "Could not check the access token; try again later."));
            }
            return done(responses.error(401, "M_UNKNOWN_TOKEN", "Unrecognised access token.",
                    Map.of("soft_logout", false), Map.of()));
        });
    }

    private CompletionStage<MatrixResponse> forUser(TokenResult.Valid user, InetAddress client) {
        Subject subject = new Subject(user.userId(), user.guest(), user.deviceId(), Optional.of(client));
        long retryAfterMs = perUser.acquire(user.userId());
        if (retryAfterMs > 0) {
            log.admit("rate-limited", user.userId()).ifPresent(line -> LOG.info("turnServer rate limited for {} ({} refused with 429 "
                    + "since the last such line; retry in {}ms)", line.key(), line.count(), retryAfterMs));
            return done(limited(retryAfterMs));
        }
        return tern.credentialsFor(subject).thenApply(outcome -> respond(outcome, subject));
    }

    private MatrixResponse respond(CredentialsOutcome outcome, Subject subject) {
        if (outcome instanceof CredentialsOutcome.Issued issued) {
            TurnCredentials c = issued.credentials();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("username", c.username());
            body.put("password", c.password());
            List<String> uris = relays.uris(c.uris());
            body.put("uris", uris);
            body.put("ttl", c.ttl().toSeconds());
            // Clients that do not know the key ignore it (matrix-js-sdk 36 reads only the four above).
            boolean forced = issued.decision().forceRelay() || domains.forcesRelayFor(subject.serverName());
            body.put(MatrixEndpoints.FORCE_RELAY_KEY, forced);
            LOG.debug("turnServer: credentials for {} ({} uris, ttl {}s, relay forced: {})", subject.userId(),
                    uris.size(), c.ttl().toSeconds(), forced);
            return responses.json(200, body, "no-store", Map.of());
        }
        if (outcome instanceof CredentialsOutcome.Refused refused) {
            log.admit("refused", subject.userId()).ifPresent(line -> LOG.info("turnServer refused for {}: {} ({} since the last "
                    + "such line)", line.key(), refused.reason(), line.count()));
            return refused.reason() == CredentialsOutcome.Reason.GUESTS_NOT_ALLOWED
                    ? responses.error(403, "M_GUEST_ACCESS_FORBIDDEN", refused.message())
                    : responses.error(403, "M_FORBIDDEN", refused.message());
        }
        return notConfigured == NotConfiguredResponse.NOT_FOUND
                ? responses.error(404, "M_NOT_FOUND", "TURN is not configured on this server.")
                : responses.json(200, Map.of(), "no-store", Map.of());
    }


    /** Token buckets held, both kinds ({@code rate_limit} and {@code unknown_token_limit}). */
    long rateLimitBuckets() {
        return perUser.size() + unknownTokensPerAddress.size();
    }
    /** 429 as the spec has it: {@code retry_after_ms} in the body, and {@code Retry-After} in whole seconds. */
    private MatrixResponse limited(long retryAfterMs) {
        return responses.error(429, "M_LIMIT_EXCEEDED", "Too many requests; retry later.",
                Map.of("retry_after_ms", retryAfterMs), Map.of("Retry-After", Long.toString((retryAfterMs + 999) / 1000)));
    }

    private static CompletionStage<MatrixResponse> done(MatrixResponse response) {
        return CompletableFuture.completedFuture(response);
    }
}
