package dev.tern.spi;

/**
 * Makes a {@link CredentialIssuer} from a {@code credentials:} config section. Found with
 * {@link java.util.ServiceLoader}; built-in types are {@code rest} and {@code static}.
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
