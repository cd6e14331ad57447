package dev.tern.launcher;

import dev.tern.config.ConfigLoader;
import dev.tern.launcher.plugin.Plugin;
import dev.tern.launcher.plugin.PluginDirectory;
import dev.tern.spi.CredentialIssuerProvider;
import dev.tern.spi.PolicySourceProvider;
import dev.tern.spi.Provider;
import dev.tern.spi.RelayServerProvider;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * {@code --plugins DIR}: the plugin directory every command that reads a config shares (default {@code plugins}
 * in the working directory, next to the embedded default's {@code tern-data}; a missing default directory means
 * no plugins, a missing directory given explicitly is a mistake). Not thread-safe (picocli fills it).
 */
final class PluginOptions {

    private static final Logger LOG = LoggerFactory.getLogger(PluginOptions.class);
    static final String DEFAULT_DIRECTORY = "plugins";

    @Option(names = "--plugins", paramLabel = "DIR",
            description = "Plugin directory: each .jar in it, or each folder of jars, is a plugin with its own class "
                    + "loader (default: ./" + DEFAULT_DIRECTORY + ", if it exists).")
    Path directory;

    /**
     * A config loader that knows the launcher's providers and those of every plugin, each plugin listed in the
     * log with the types it adds.
     *
     * @throws LauncherException when the directory given is missing or a plugin cannot be loaded
     */
    ConfigLoader configLoader() {
        boolean required = directory != null;
        Path dir = required ? directory : Path.of(DEFAULT_DIRECTORY);
        ClassLoader host = PluginOptions.class.getClassLoader();
        ConfigLoader.Builder builder = ConfigLoader.builder();
        try {
            List<Plugin> plugins = PluginDirectory.load(dir, required, host);
            if (plugins.isEmpty()) {
                LOG.info("Plugins: none in {}", dir.toAbsolutePath().normalize());
            }
            for (Plugin plugin : plugins) {
                LOG.info("Plugin {} ({} jar{}): {}", plugin.name(), plugin.jars().size(),
                        plugin.jars().size() == 1 ? "" : "s", describe(plugin));
                builder.pluginClassLoader(plugin.classLoader());
            }
            return builder.build();
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new LauncherException(e.getMessage(), e);
        } catch (IllegalStateException | ServiceConfigurationError e) {
            throw new LauncherException("Cannot load the plugins in " + dir + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("rawtypes") // ServiceLoader cannot express CredentialIssuerProvider<?>
    private static String describe(Plugin plugin) {
        List<String> types = new ArrayList<>();
        types(types, "credentials", CredentialIssuerProvider.class, plugin);
        types(types, "policy source", PolicySourceProvider.class, plugin);
        types(types, "relay", RelayServerProvider.class, plugin);
        return types.isEmpty() ? "no provider registered in META-INF/services" : String.join(", ", types);
    }

    @SuppressWarnings("rawtypes")
    private static void types(List<String> out, String what, Class<? extends Provider> kind, Plugin plugin) {
        for (Provider<?> provider : ServiceLoader.load(kind, plugin.classLoader())) {
            out.add(what + " '" + provider.type() + "'");
        }
    }
}
