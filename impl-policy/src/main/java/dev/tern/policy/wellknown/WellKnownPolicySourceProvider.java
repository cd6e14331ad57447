package dev.tern.policy.wellknown;

import dev.tern.spi.PolicySource;
import dev.tern.spi.PolicySourceProvider;
import dev.tern.spi.ProviderContext;

/**
 * The {@code well-known} policy source type (see {@link WellKnownSourceConfig}); fetches with the
 * host's HTTP client.
 *
 * <p>Stateless and thread-safe.
 */
public final class WellKnownPolicySourceProvider implements PolicySourceProvider<WellKnownSourceConfig> {

    @Override
    public String type() {
        return "well-known";
    }

    @Override
    public Class<WellKnownSourceConfig> configType() {
        return WellKnownSourceConfig.class;
    }

    @Override
    public PolicySource create(WellKnownSourceConfig config, ProviderContext context) {
        return new WellKnownPolicySource(config, context.httpClient(), context.clock());
    }
}
