package dev.tern.matrix.auth.whoami;

import dev.tern.spi.AccessTokenVerifier;
import dev.tern.spi.AccessTokenVerifierProvider;
import dev.tern.spi.ProviderContext;

/**
 * {@code type: whoami}: checks tokens with the homeserver's {@code /account/whoami}, through the host's
 * shared HTTP client and clock. Stateless and thread-safe.
 */
public final class WhoamiProvider implements AccessTokenVerifierProvider<WhoamiConfig> {

    @Override
    public String type() {
        return "whoami";
    }

    @Override
    public Class<WhoamiConfig> configType() {
        return WhoamiConfig.class;
    }

    @Override
    public AccessTokenVerifier create(WhoamiConfig config, ProviderContext context) {
        return new WhoamiTokenVerifier(config, context.httpClient(), context.clock());
    }
}
