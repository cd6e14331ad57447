package dev.tern.spi;

/**
 * Makes a {@link CredentialIssuer} from a {@code credentials:} config section. Found with
 * {@link java.util.ServiceLoader}; {@code tern-credentials} ships the types {@code rest} and {@code static}.
 *
 * <p>Implementations must be thread-safe and hold no mutable state: the host may call {@code create} from any thread.
 *
 * @param <C> the config type
 */
public interface CredentialIssuerProvider<C> extends Provider<C> {

    /**
     * Creates the issuer.
     *
     * @throws InvalidSettingException when the config is bound but cannot work (a weak secret, an
     *     unreadable secret file)
     */
    CredentialIssuer create(C config, ProviderContext context);
}
