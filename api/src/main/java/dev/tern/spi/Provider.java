package dev.tern.spi;

/**
 * What every provider has: the {@code type} name config selects it by and the record its config
 * section is bound to. Providers are found with {@link java.util.ServiceLoader}; register one in
 * {@code META-INF/services/} under the interface it implements
 * ({@link CredentialIssuerProvider}, {@link PolicySourceProvider}, {@link RelayServerProvider},
 * {@link AccessTokenVerifierProvider}, {@link FleetProvider}).
 *
 * <p>The config class is usually a record whose components are the snake_case keys of the section
 * in camelCase ({@code bind_dn} becomes {@code bindDn}). Absent keys arrive as {@code null} (or
 * empty {@code Optional}s) so the record's compact constructor can apply defaults and validate,
 * throwing {@link InvalidSettingException} for a bad value. Plugins never see Jackson or Guice.
 *
 * @param <C> the config type
 */
public interface Provider<C> {

    /** The name used as {@code type:} in config, for example {@code rest} or {@code ldap}. */
    String type();

    /** The class the provider's config section is bound to. */
    Class<C> configType();
}
