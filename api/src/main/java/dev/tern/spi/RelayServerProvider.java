package dev.tern.spi;

/**
 * Makes a {@link RelayServer} from the {@code relay:} config section. Found with
 * {@link java.util.ServiceLoader}; {@code tern-relay} ships the type {@code netty}.
 *
 * <p>Implementations must be thread-safe and hold no mutable state: the host may call {@code create} from any thread.
 *
 * @param <C> the config type
 */
public interface RelayServerProvider<C> extends Provider<C> {

    /**
     * Creates the relay, not yet started.
     *
     * @throws InvalidSettingException when the config is bound but cannot work
     */
    RelayServer create(C config, RelayContext context);
}
