package dev.tern.matrix.auth.fixed;

import dev.tern.spi.AccessTokenVerifier;
import dev.tern.matrix.auth.TokenDigest;
import dev.tern.spi.TokenResult;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Answers from a fixed token-to-user map ({@link StaticTokensConfig}). Tokens are kept only as SHA-256
 * digests.
 *
 * <p>Immutable and thread-safe; answers at once, never throws: an unknown or malformed token is
 * {@link TokenResult.Unknown}.
 */
public final class StaticTokenVerifier implements AccessTokenVerifier {

    private final Map<String, TokenResult.Valid> byDigest;

    public StaticTokenVerifier(StaticTokensConfig config) {
        Set<String> guests = config.guestSet();
        Map<String, TokenResult.Valid> map = new HashMap<>();
        config.byToken().forEach((token, user) ->
                map.put(TokenDigest.of(token), new TokenResult.Valid(user, guests.contains(user), Optional.empty())));
        this.byDigest = Map.copyOf(map);
    }

    @Override
    public CompletionStage<TokenResult> verify(String accessToken) {
        TokenResult.Valid valid = byDigest.get(TokenDigest.of(accessToken));
        return CompletableFuture.completedFuture(valid == null ? new TokenResult.Unknown() : valid);
    }

    @Override
    public String toString() {
        return "StaticTokenVerifier[" + byDigest.size() + " tokens]";
    }
}
