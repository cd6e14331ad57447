package dev.tern.config;

import dev.tern.spi.Fleet;
import dev.tern.spi.FleetProvider;
import dev.tern.spi.ProviderContext;

/**
 * Fleet type {@code none}, the default: one relay alone ({@link Fleet#NONE}), today's behaviour. Built into every
 * config loader next to the discovered fleet types, so {@code type: none} is listed with them and takes no other key.
 * Stateless.
 */
final class StandaloneFleetProvider implements FleetProvider<StandaloneFleetProvider.Settings> {

    /** The {@code none} fleet has no settings. */
    record Settings() {
    }

    @Override
    public String type() {
        return "none";
    }

    @Override
    public Class<Settings> configType() {
        return Settings.class;
    }

    @Override
    public Fleet create(Settings config, ProviderContext context) {
        return Fleet.NONE;
    }
}
