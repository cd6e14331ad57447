package dev.tern.examples.homeserver;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.tern.api.Tern;
import dev.tern.matrix.auth.AccessTokenVerifier;
import dev.tern.matrix.auth.TokenResult;
import dev.tern.matrix.http.MatrixConfig;
import dev.tern.matrix.http.MatrixEndpoints;
import dev.tern.spi.ProviderContext;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the homeserver adds to Tern's Guice wiring, applied over {@code TernModule} with
 * {@code Modules.override}: its own access-token check (a plain function over its sessions) and Tern's
 * Matrix endpoints built on it. Only wiring: no I/O here.
 */
final class HomeserverTernModule extends AbstractModule {

    private final Function<String, Optional<TokenResult.Valid>> tokenLookup;
    private final MatrixConfig matrix;

    HomeserverTernModule(Function<String, Optional<TokenResult.Valid>> tokenLookup, MatrixConfig matrix) {
        this.tokenLookup = Objects.requireNonNull(tokenLookup, "tokenLookup");
        this.matrix = Objects.requireNonNull(matrix, "matrix");
    }

    @Override
    protected void configure() {
        bind(AccessTokenVerifier.class).toInstance(AccessTokenVerifier.fromLookup(tokenLookup));
    }

    @Provides
    @Singleton
    MatrixEndpoints matrixEndpoints(Tern tern, AccessTokenVerifier tokens, ProviderContext context) {
        return MatrixEndpoints.create(matrix, tern, tokens, context);
    }
}
