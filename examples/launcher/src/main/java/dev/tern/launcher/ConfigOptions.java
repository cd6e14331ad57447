package dev.tern.launcher;

import dev.tern.config.ConfigLoader;
import dev.tern.config.TernConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options every command that needs a config shares: {@code --config FILE}, or the embedded default
 * with its state in {@code --data-dir} and its ports overridable. Not thread-safe (picocli fills it).
 */
final class ConfigOptions {

    @Mixin
    PluginOptions plugins;

    @Option(names = "--config", paramLabel = "FILE",
            description = "The config file (YAML, or JSON for .json). Without it: the embedded default on loopback.")
    Path config;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "tern-data",
            description = "Where the embedded default keeps its generated secret and token (default: ${DEFAULT-VALUE}).")
    Path dataDirectory;

    @Option(names = "--relay-port", paramLabel = "PORT", defaultValue = "3478",
            description = "UDP and TCP port of the embedded default's relay (default: ${DEFAULT-VALUE}).")
    int relayPort;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "8008",
            description = "Port of the embedded default's Matrix HTTP endpoints (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--admin-port", paramLabel = "PORT", defaultValue = "9090",
            description = "Port of the embedded default's admin page, /metrics and /health (default: ${DEFAULT-VALUE}).")
    int adminPort;

    /** A config loader with the launcher's providers and the plugins' ({@code --plugins}). */
    ConfigLoader configLoader() {
        return plugins.configLoader();
    }

    /** Whether the embedded default is used. */
    boolean embedded() {
        return config == null;
    }

    /**
     * Loads {@code --config}, or renders and loads the embedded default (creating its secret and token on
     * first use and saying on {@code out} what it left out).
     *
     * @throws dev.tern.config.ConfigException for a config mistake
     */
    TernConfig load(ConfigLoader loader, PrintWriter out) {
        if (config != null) {
            return loader.load(config);
        }
        return prepareDefault().load(loader, out);
    }

    /** The embedded default with these options' data directory and ports. */
    DefaultConfig prepareDefault() {
        return DefaultConfig.prepare(dataDirectory, new DefaultConfig.Ports(relayPort, httpPort, adminPort));
    }
}
