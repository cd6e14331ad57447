package dev.tern.examples.homeserver;

import com.google.inject.AbstractModule;
import dev.tern.spi.AccessTokenVerifier;
import dev.tern.spi.TokenResult;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the homeserver adds to Tern's Guice wiring, applied over {@code TernModule} with
 * {@code Modules.override}: its own access-token check (a plain function over its sessions), which Tern's
 * Matrix endpoints (wired by {@code TernModule} from the {@code matrix} section) then use. Only wiring: no I/O here.
 */
final class HomeserverTernModule extends AbstractModule {

    private final Function<String, Optional<TokenResult.Valid>> tokenLookup;

    HomeserverTernModule(Function<String, Optional<TokenResult.Valid>> tokenLookup) {
        this.tokenLookup = Objects.requireNonNull(tokenLookup, "tokenLookup");
    }

    @Override
    protected void configure() {
        bind(AccessTokenVerifier.class).toInstance(AccessTokenVerifier.fromLookup(tokenLookup));
    }
}
