package dev.tern.config;

import dev.tern.spi.CredentialIssuerProvider;
import dev.tern.spi.RelayServerProvider;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A loaded and validated config file: every provider section bound to its provider's config type, the
 * sections other modules own kept as {@link ConfigSection}s. Nothing has been created or started yet.
 *
 * <p>Immutable and thread-safe. Built by {@link ConfigLoader}.
 */
public final class TernConfig {

    private final String origin;
    private final Path configDirectory;
    private final String serverName;
    private final Path dataDirectory;
    private final BoundProvider<CredentialIssuerProvider<?>> credentials;
    private final PolicyConfig policy;
    private final BoundProvider<RelayServerProvider<?>> relay;
    private final ConfigSection matrix;
    private final ConfigSection metrics;

    TernConfig(String origin, Path configDirectory, String serverName, Path dataDirectory,
            BoundProvider<CredentialIssuerProvider<?>> credentials, PolicyConfig policy,
            BoundProvider<RelayServerProvider<?>> relay, ConfigSection matrix, ConfigSection metrics) {
        this.origin = Objects.requireNonNull(origin, "origin");
        this.configDirectory = Objects.requireNonNull(configDirectory, "configDirectory");
        this.serverName = Objects.requireNonNull(serverName, "serverName");
        this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
        this.credentials = credentials;
        this.policy = Objects.requireNonNull(policy, "policy");
        this.relay = relay;
        this.matrix = matrix;
        this.metrics = metrics;
    }

    /** The file the config was read from, or the name given to in-memory text. */
    public String origin() {
        return origin;
    }

    /** The directory relative paths were resolved against: the config file's, or the one given. */
    public Path configDirectory() {
        return configDirectory;
    }

    /** {@code server_name}: the Matrix server name. */
    public String serverName() {
        return serverName;
    }

    /** {@code data_directory}, absolute (default {@code ./tern-data} under the config directory). */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /** {@code credentials}, if configured. */
    public Optional<BoundProvider<CredentialIssuerProvider<?>>> credentials() {
        return Optional.ofNullable(credentials);
    }

    /** {@code policy}: defaults and sources ({@link PolicyConfig#NONE} when absent). */
    public PolicyConfig policy() {
        return policy;
    }

    /** {@code relay}, if configured. */
    public Optional<BoundProvider<RelayServerProvider<?>>> relay() {
        return Optional.ofNullable(relay);
    }

    /** {@code matrix}, unbound: the Matrix HTTP module binds it. */
    public Optional<ConfigSection> matrix() {
        return Optional.ofNullable(matrix);
    }

    /** {@code metrics}, unbound: the launcher binds it. */
    public Optional<ConfigSection> metrics() {
        return Optional.ofNullable(metrics);
    }

    /** The effective config as YAML, defaults applied, every secret shown as {@code ****}. */
    public String effectiveConfig() {
        return EffectiveConfig.render(this);
    }

    @Override
    public String toString() {
        return "TernConfig[" + origin + ", server_name=" + serverName + "]";
    }
}
