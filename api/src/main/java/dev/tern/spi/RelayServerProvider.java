package dev.tern.spi;

/**
 * Makes a {@link RelayServer} from the {@code relay:} config section. Found with
 * {@link java.util.ServiceLoader}; the built-in type is {@code netty}.
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
