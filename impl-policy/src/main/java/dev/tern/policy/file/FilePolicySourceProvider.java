package dev.tern.policy.file;

import dev.tern.spi.PolicySource;
import dev.tern.spi.PolicySourceProvider;
import dev.tern.spi.ProviderContext;

/**
 * The {@code file} policy source type: rules from a YAML or JSON file that is reloaded on change.
 * A relative {@code path} is resolved against the config directory.
 *
 * <p>Stateless and thread-safe.
 */
public final class FilePolicySourceProvider implements PolicySourceProvider<FileSourceConfig> {

    @Override
    public String type() {
        return "file";
    }

    @Override
    public Class<FileSourceConfig> configType() {
        return FileSourceConfig.class;
    }

    @Override
    public PolicySource create(FileSourceConfig config, ProviderContext context) {
        return new FilePolicySource(context.configDirectory().resolve(config.path()), config.reload(),
                context.serverName(), context.scheduler(), context.metrics());
    }
}
