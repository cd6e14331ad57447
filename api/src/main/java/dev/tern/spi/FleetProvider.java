package dev.tern.spi;

/**
 * Makes a {@link Fleet} from the top-level {@code fleet:} config section. Found with
 * {@link java.util.ServiceLoader}; the type {@code redis} is in module {@code tern-fleet-redis}; type {@code none}
 * (the default, {@link Fleet#NONE}) is built into the config loader.
 *
 * <p>Implementations must be thread-safe and hold no mutable state: the host may call {@code create} from any thread.
 *
 * @param <C> the config type
 */
public interface FleetProvider<C> extends Provider<C> {

    /**
     * Creates the fleet, not yet joined. Must not block on the store: a store down at startup makes a
     * degraded fleet, not a failure.
     *
     * @throws InvalidSettingException when the config is bound but cannot work (an unreadable password file)
     */
    Fleet create(C config, ProviderContext context);
}
