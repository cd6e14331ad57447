package dev.tern.spi;


/**
 * A factory for an {@link AccessTokenVerifier}, selected by {@code matrix.access_tokens.type} and found with
 * {@link java.util.ServiceLoader}: register it in
 * {@code META-INF/services/dev.tern.spi.AccessTokenVerifierProvider}. {@code tern-matrix-http} ships the types
 * {@code static} and {@code whoami}.
 *
 * <p>Implementations are stateless and thread-safe.
 *
 * @param <C> the config record of the {@code access_tokens} section (without {@code type})
 */
public interface AccessTokenVerifierProvider<C> extends Provider<C> {

    /**
     * A verifier for this config.
     *
     * @throws dev.tern.spi.InvalidSettingException when the config cannot work (it names the key)
     */
    AccessTokenVerifier create(C config, ProviderContext context);

    /**
     * {@link #create} for a config whose type the caller only knows at run time (what a config binder
     * hands back).
     *
     * @throws ClassCastException when {@code config} is not of {@link #configType()}
     */
    default AccessTokenVerifier createFrom(Object config, ProviderContext context) {
        return create(configType().cast(config), context);
    }
}
