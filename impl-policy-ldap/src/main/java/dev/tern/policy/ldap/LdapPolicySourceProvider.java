package dev.tern.policy.ldap;

import dev.tern.spi.PolicySource;
import dev.tern.spi.PolicySourceProvider;
import dev.tern.spi.ProviderContext;

/**
 * The {@code ldap} policy source type (see {@link LdapSourceConfig}). A relative
 * {@code trust_store} is resolved against the config directory.
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
        LdapSourceConfig resolved = config.trustStore() == null || config.trustStore().isAbsolute() ? config
                : new LdapSourceConfig(config.url(), config.startTls(), context.configDirectory().resolve(
                        config.trustStore()), config.trustStorePassword(), config.trustAll(), config.bindDn(),
                        config.bindPassword(), config.baseDn(), config.userFilter(), config.memberOfAttribute(),
                        config.groupSearch(), config.rules(), config.poolSize(), config.connectTimeout(),
                        config.responseTimeout(), config.cacheTtl(), config.negativeCacheTtl(), config.refreshAfter(),
                        config.cacheSize());
        return new LdapPolicySource(resolved, context.clock());
    }
}
