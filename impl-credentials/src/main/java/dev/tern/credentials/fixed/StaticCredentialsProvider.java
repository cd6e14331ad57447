package dev.tern.credentials.fixed;

import dev.tern.spi.CredentialIssuer;
import dev.tern.spi.CredentialIssuerProvider;
import dev.tern.spi.ProviderContext;

/**
 * The {@code static} credential type: fixed usernames and passwords (Synapse's {@code turn_username} and
 * {@code turn_password}, coturn's {@code user=} lines). Found with {@link java.util.ServiceLoader};
 * stateless and thread-safe.
 */
public final class StaticCredentialsProvider implements CredentialIssuerProvider<StaticCredentialsConfig> {

    @Override
    public String type() {
        return "static";
    }

    @Override
    public Class<StaticCredentialsConfig> configType() {
        return StaticCredentialsConfig.class;
    }

    @Override
    public CredentialIssuer create(StaticCredentialsConfig config, ProviderContext context) {
        return StaticCredentialIssuer.create(config, context);
    }
}
