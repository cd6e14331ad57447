package dev.tern.spi;

/**
 * Makes a {@link PolicySource} from one entry of {@code policy.sources}. Found with
 * {@link java.util.ServiceLoader}; Tern ships the types {@code file} and {@code well-known} (in {@code tern-policy})
 * and {@code ldap} (in {@code tern-policy-ldap}).
 *
 * <p>Implementations must be thread-safe and hold no mutable state: the host may call {@code create} from any thread.
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
