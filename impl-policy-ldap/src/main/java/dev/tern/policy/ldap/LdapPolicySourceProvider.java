package dev.tern.policy.ldap;

import dev.tern.spi.PolicySource;
import dev.tern.spi.PolicySourceProvider;
import dev.tern.spi.ProviderContext;

/**
 * The {@code ldap} policy source type (see {@link LdapSourceConfig}). A relative
 * {@code trust_store} is resolved against the config directory; without {@code server_names} the source
 * serves the users of the homeserver's own server name.
 *
 * <p>Stateless and thread-safe.
 */
public final class LdapPolicySourceProvider implements PolicySourceProvider<LdapSourceConfig> {

    @Override
    public String type() {
        return "ldap";
    }

    @Override
    public Class<LdapSourceConfig> configType() {
        return LdapSourceConfig.class;
    }

    @Override
    public PolicySource create(LdapSourceConfig config, ProviderContext context) {
        return new LdapPolicySource(config.resolve(context.configDirectory(), context.serverName()), context.clock());
    }
}
