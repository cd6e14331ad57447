package dev.tern.matrix.auth.fixed;

import dev.tern.spi.AccessTokenVerifier;
import dev.tern.spi.AccessTokenVerifierProvider;
import dev.tern.spi.ProviderContext;

/** {@code type: static}: a fixed token-to-user map. Stateless and thread-safe. */
public final class StaticTokensProvider implements AccessTokenVerifierProvider<StaticTokensConfig> {

    @Override
    public String type() {
        return "static";
    }

    @Override
    public Class<StaticTokensConfig> configType() {
        return StaticTokensConfig.class;
    }

    @Override
    public AccessTokenVerifier create(StaticTokensConfig config, ProviderContext context) {
        return new StaticTokenVerifier(config);
    }
}
