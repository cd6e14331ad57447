package dev.tern.spi;

/**
 * Makes a {@link PolicySource} from one entry of {@code policy.sources}. Found with
 * {@link java.util.ServiceLoader}; built-in types are {@code file}, {@code ldap} and
 * {@code well-known}.
 *
 * <p>The keys every source has ({@code type}, {@code name}, {@code on_error}, {@code timeout}) are
 * read by the host and never reach the provider's config type; see {@link PolicySourceSettings}.
 *
 * @param <C> the config type
 */
public interface PolicySourceProvider<C> extends Provider<C> {

    /**
     * Creates the source.
     *
     * @throws InvalidSettingException when the config is bound but cannot work
     */
    PolicySource create(C config, ProviderContext context);
}
