package dev.tern.config;

import dev.tern.spi.CredentialIssuerProvider;
import dev.tern.spi.FleetProvider;
import dev.tern.spi.RelayServerProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A loaded and validated config file: every provider section bound to its provider's config type, the
 * sections other modules own kept as {@link ConfigSection}s. Nothing has been created or started yet.
 *
 * <p>Immutable and thread-safe. Built by {@link ConfigLoader}.
 */
public final class TernConfig {

    private final ConfigDocument document;
    private final String serverName;
    private final Path dataDirectory;
    private final BoundProvider<CredentialIssuerProvider<?>> credentials;
    private final PolicyConfig policy;
    private final BoundProvider<RelayServerProvider<?>> relay;
    private final ConfigSection matrix;
    private final ConfigSection metrics;
    private final Duration drainDeadline;
    private final BoundProvider<FleetProvider<?>> fleet;

    TernConfig(ConfigDocument document, String serverName, Path dataDirectory, BoundSections bound,
            ConfigSection matrix, ConfigSection metrics) {
        this.document = Objects.requireNonNull(document, "document");
        this.serverName = Objects.requireNonNull(serverName, "serverName");
        this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
        this.credentials = bound.credentials();
        this.policy = Objects.requireNonNull(bound.policy(), "policy");
        this.relay = bound.relay();
        this.matrix = matrix;
        this.metrics = metrics;
        this.drainDeadline = Objects.requireNonNull(bound.drainDeadline(), "drainDeadline");
        this.fleet = bound.fleet();
    }

    /** The file the config was read from, or the name given to in-memory text. */
    public String origin() {
        return document.origin();
    }

    /** The directory relative paths were resolved against: the config file's, or the one given. */
    public Path configDirectory() {
        return document.configDirectory();
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

    /**
     * {@code relay.drain_deadline}: how long a draining relay lets live allocations go on before it closes them,
     * deregisters and exits (default 2m; also without a relay section).
     */
    public Duration drainDeadline() {
        return drainDeadline;
    }

    /** {@code matrix}, unbound: the Matrix HTTP module binds it. */
    public Optional<ConfigSection> matrix() {
        return Optional.ofNullable(matrix);
    }

    /** {@code fleet}, if configured (with {@code type: none} too, which makes {@code Fleet.NONE}). */
    public Optional<BoundProvider<FleetProvider<?>>> fleet() {
        return Optional.ofNullable(fleet);
    }

    /** {@code metrics}, unbound: the launcher binds it. */
    public Optional<ConfigSection> metrics() {
        return Optional.ofNullable(metrics);
    }

    /** The effective config as YAML, defaults applied, every secret shown as {@code ****}. */
    public String effectiveConfig() {
        return EffectiveConfig.render(this);
    }

    /**
     * An error at a key of this config found after loading, such as a {@code data_directory} that cannot
     * be created: it names the file, the key path and the line, like every config error.
     *
     * @param path the key path, like {@code data_directory}
     */
    public ConfigException problem(String path, String message) {
        return new ConfigException(document.problem(path, BindContext.scrub(message, path, document.sensitive())));
    }

    @Override
    public String toString() {
        return "TernConfig[" + origin() + ", server_name=" + serverName + "]";
    }
}
