package dev.tern.fleet.redis;

import dev.tern.spi.Fleet;
import dev.tern.spi.FleetProvider;
import dev.tern.spi.ProviderContext;

/**
 * The {@code redis} fleet type: relays sharing one Redis (or Valkey). Found with {@link java.util.ServiceLoader}.
 * Stateless and thread-safe.
 */
public final class RedisFleetProvider implements FleetProvider<RedisFleetConfig> {

    @Override
    public String type() {
        return "redis";
    }

    @Override
    public Class<RedisFleetConfig> configType() {
        return RedisFleetConfig.class;
    }

    @Override
    public Fleet create(RedisFleetConfig config, ProviderContext context) {
        return RedisFleet.create(config.resolve(context.configDirectory()), context);
    }
}
