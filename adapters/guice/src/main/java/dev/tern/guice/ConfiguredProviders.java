package dev.tern.guice;

import dev.tern.config.BoundProvider;
import dev.tern.spi.CredentialIssuer;
import dev.tern.spi.CredentialIssuerProvider;
import dev.tern.spi.Fleet;
import dev.tern.spi.FleetProvider;
import dev.tern.spi.InvalidSettingException;
import dev.tern.spi.PolicySource;
import dev.tern.spi.PolicySourceProvider;
import dev.tern.spi.ProviderContext;
import dev.tern.spi.RelayContext;
import dev.tern.spi.RelayServer;
import dev.tern.spi.RelayServerProvider;

/**
 * Calls a bound provider's {@code create} with its config, and turns an {@link InvalidSettingException}
 * into a {@link dev.tern.config.ConfigException} naming the file, the section's key path and the line.
 * Stateless.
 */
final class ConfiguredProviders {

    private ConfiguredProviders() {
    }

    static CredentialIssuer issuer(BoundProvider<CredentialIssuerProvider<?>> bound, ProviderContext context) {
        try {
            return createIssuer(bound.provider(), bound.config(), context);
        } catch (InvalidSettingException e) {
            throw bound.invalidSetting(e);
        }
    }

    static PolicySource source(BoundProvider<PolicySourceProvider<?>> bound, ProviderContext context) {
        try {
            return createSource(bound.provider(), bound.config(), context);
        } catch (InvalidSettingException e) {
            throw bound.invalidSetting(e);
        }
    }

    static RelayServer relay(BoundProvider<RelayServerProvider<?>> bound, RelayContext context) {
        try {
            return createRelay(bound.provider(), bound.config(), context);
        } catch (InvalidSettingException e) {
            throw bound.invalidSetting(e);
        }
    }

    static Fleet fleet(BoundProvider<FleetProvider<?>> bound, ProviderContext context) {
        try {
            return createFleet(bound.provider(), bound.config(), context);
        } catch (InvalidSettingException e) {
            throw bound.invalidSetting(e);
        }
    }

    private static <C> Fleet createFleet(FleetProvider<C> provider, Object config, ProviderContext context) {
        return provider.create(provider.configType().cast(config), context);
    }

    // The config was bound to provider.configType(), so each cast holds.
    private static <C> CredentialIssuer createIssuer(CredentialIssuerProvider<C> provider, Object config,
            ProviderContext context) {
        return provider.create(provider.configType().cast(config), context);
    }

    private static <C> PolicySource createSource(PolicySourceProvider<C> provider, Object config,
            ProviderContext context) {
        return provider.create(provider.configType().cast(config), context);
    }

    private static <C> RelayServer createRelay(RelayServerProvider<C> provider, Object config, RelayContext context) {
        return provider.create(provider.configType().cast(config), context);
    }
}
