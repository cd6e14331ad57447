package dev.tern.matrix.http;

import dev.tern.api.Tern;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /.well-known/matrix/client}: the configured (or, in sidecar mode, upstream) document with the
 * MSC4096 flag as the server-wide policy says. A request whose {@code Host} one of {@code matrix.domains} lists
 * gets that domain's document instead, forced when the domain's {@code force_relay} or the server-wide policy
 * says so.
 *
 * <p>Thread-safe. The stage always completes with a 200: when policy cannot answer, the document is served
 * without the flag and the problem logged.
 */
final class WellKnownEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(WellKnownEndpoint.class);

    private final Tern tern;
    private final Map<String, Object> configured;
    private final Optional<UpstreamWellKnown> upstream;
    private final HostedDomains domains;
    private final ClientAddress proxies;
    private final boolean falseWhenNotForced;
    private final String cacheControl;
    private final MatrixResponses responses;

    /**
     * @param documents the default domain's document (configured, or upstream in sidecar mode) and the further
     *     domains', selected by {@code Host}
     * @param proxies whose {@code X-Forwarded-Host} is believed
     */
    WellKnownEndpoint(Tern tern, WellKnownDocuments documents, ClientAddress proxies, boolean falseWhenNotForced,
            Duration maxAge, MatrixResponses responses) {
        this.tern = tern;
        this.configured = documents.configured();
        this.upstream = documents.upstream();
        this.domains = documents.domains();
        this.proxies = proxies;
        this.falseWhenNotForced = falseWhenNotForced;
        this.cacheControl = "public, max-age=" + maxAge.toSeconds();
        this.responses = responses;
    }

    CompletionStage<MatrixResponse> handle(MatrixRequest request) {
        Optional<HostedDomain> domain = domains.forRequest(request, proxies);
        boolean domainForces = domain.map(HostedDomain::forceRelay).orElse(false);
        CompletableFuture<Map<String, Object>> document = domain.isPresent()
                ? CompletableFuture.completedFuture(domain.get().wellKnown())
                : upstream.map(UpstreamWellKnown::document).orElseGet(() -> CompletableFuture.completedFuture(configured));
        CompletableFuture<Optional<Boolean>> forced = tern.serverForcesRelay().toCompletableFuture()
                .thenApply(Optional::of)
                .exceptionally(failure -> {
                    LOG.warn("well-known: the server-wide policy did not answer ({}); serving it without {}",
                            failure.getClass().getSimpleName(), Tern.FORCE_TURN_KEY);
                    return Optional.empty();
                });
        return document.thenCombine(forced, (doc, force) -> responses.json(200,
                force.isPresent() || domainForces
                        ? WellKnownDocument.withForceTurn(doc, domainForces || force.get(), falseWhenNotForced)
                        : WellKnownDocument.withForceTurn(doc, false, false),
                cacheControl, Map.of()));
    }
}
