package dev.tern.spi;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Finds out who an access token belongs to. Config selects one through an
 * {@link AccessTokenVerifierProvider} ({@code static}, {@code whoami}); a homeserver embedding Tern passes
 * its own, usually as a lambda over its session store, or with {@link #fromLookup}.
 *
 * <p>Implementations must be thread-safe, must not block the caller (answer with a stage), must answer
 * every string however long or malformed with a {@link TokenResult} rather than throw, and must never log
 * the token or put it in a message.
 */
@FunctionalInterface
public interface AccessTokenVerifier extends AutoCloseable {

    /**
     * Who the token belongs to.
     *
     * @param accessToken the token as the client sent it (never null, may be empty)
     */
    CompletionStage<TokenResult> verify(String accessToken);

    /** Releases caches and threads. Idempotent. */
    @Override
    default void close() {
    }

    /**
     * A verifier over a fast, non-blocking lookup the embedding homeserver already has (an in-memory
     * session map): empty means {@link TokenResult.Unknown}. An exception from the lookup becomes
     * {@link TokenResult.Unavailable} naming only the exception's class.
     */
    static AccessTokenVerifier fromLookup(Function<String, Optional<TokenResult.Valid>> lookup) {
        return token -> {
            try {
                return CompletableFuture.completedFuture(
                        lookup.apply(token).<TokenResult>map(v -> v).orElseGet(TokenResult.Unknown::new));
            } catch (RuntimeException e) {
                return CompletableFuture.completedFuture(
                        new TokenResult.Unavailable("the homeserver's lookup failed: " + e.getClass().getSimpleName()));
            }
        };
    }
}
