package dev.tern.credentials.rest;

import dev.tern.spi.CredentialIssuer;
import dev.tern.spi.CredentialIssuerProvider;
import dev.tern.spi.ProviderContext;

/**
 * The {@code rest} credential type: TURN REST API credentials (Synapse's {@code turn_shared_secret},
 * coturn's {@code use-auth-secret}). Found with {@link java.util.ServiceLoader}; stateless and thread-safe.
 */
public final class RestCredentialsProvider implements CredentialIssuerProvider<RestCredentialsConfig> {

    @Override
    public String type() {
        return "rest";
    }

    @Override
    public Class<RestCredentialsConfig> configType() {
        return RestCredentialsConfig.class;
    }

    @Override
    public CredentialIssuer create(RestCredentialsConfig config, ProviderContext context) {
        return RestCredentialIssuer.create(config, context);
    }
}
