package dev.tern.guice;

import dev.tern.config.BoundProvider;
import dev.tern.config.ConfigSection;
import dev.tern.config.ProviderCatalog;
import dev.tern.spi.AccessTokenVerifier;
import dev.tern.spi.AccessTokenVerifierProvider;
import dev.tern.spi.InvalidSettingException;
import dev.tern.spi.ProviderContext;

/**
 * Makes the access-token verifier of {@code matrix.access_tokens}, through the
 * {@link AccessTokenVerifierProvider} its {@code type} names (found with {@link java.util.ServiceLoader} when it is
 * first needed, not while the module is configured), turning a refused setting into a located config error.
 * Stateless.
 */
final class MatrixFromConfig {

    private MatrixFromConfig() {
    }

    static AccessTokenVerifier verifier(ConfigSection accessTokens, ProviderContext context) {
        BoundProvider<AccessTokenVerifierProvider<?>> bound = accessTokens.bindProvider(catalog());
        try {
            return bound.provider().createFrom(bound.config(), context);
        } catch (InvalidSettingException e) {
            throw bound.invalidSetting(e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"}) // ServiceLoader cannot express AccessTokenVerifierProvider<?>
    private static ProviderCatalog<AccessTokenVerifierProvider<?>> catalog() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return (ProviderCatalog) ProviderCatalog.discover(AccessTokenVerifierProvider.class,
                loader != null ? loader : MatrixFromConfig.class.getClassLoader());
    }
}
