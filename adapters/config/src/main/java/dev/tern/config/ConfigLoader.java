package dev.tern.config;

import dev.tern.spi.CredentialIssuerProvider;
import dev.tern.spi.FleetProvider;
import dev.tern.spi.PolicySourceProvider;
import dev.tern.spi.RelayServerProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * Loads a Tern config file (YAML, or JSON for a {@code .json} file) and binds every section to the
 * config type of the provider its {@code type:} names. Providers come from {@link ProviderCatalog}s,
 * by default discovered with {@link java.util.ServiceLoader}.
 *
 * <p>Thread-safe and reusable. Loading reads the file and secret files but creates and starts nothing.
 * Every user mistake is a {@link ConfigException} listing all problems found, each with file, key
 * path, line, what was found and what was expected; none carries a secret.
 */
public final class ConfigLoader {

    private final Function<String, String> environment;
    private final ProviderCatalog<CredentialIssuerProvider<?>> issuers;
    private final ProviderCatalog<PolicySourceProvider<?>> sources;
    private final ProviderCatalog<RelayServerProvider<?>> relays;
    private final ProviderCatalog<FleetProvider<?>> fleets;
    private final SectionBinder binder = new SectionBinder();

    private ConfigLoader(Builder builder) {
        ClassLoader classLoader = builder.classLoader != null ? builder.classLoader : defaultClassLoader();
        this.environment = builder.environment;
        this.issuers = catalog(builder.issuers, CredentialIssuerProvider.class, classLoader, builder.pluginLoaders,
                builder.extraIssuers);
        this.sources = catalog(builder.sources, PolicySourceProvider.class, classLoader, builder.pluginLoaders,
                builder.extraSources);
        this.relays = catalog(builder.relays, RelayServerProvider.class, classLoader, builder.pluginLoaders,
                builder.extraRelays);
        this.fleets = catalog(null, FleetProvider.class, classLoader, builder.pluginLoaders,
                List.of(new StandaloneFleetProvider()));
    }

    private static <P extends dev.tern.spi.Provider<?>> ProviderCatalog<P> catalog(ProviderCatalog<P> given,
            Class<? super P> kind, ClassLoader classLoader, List<ClassLoader> pluginLoaders, List<P> instances) {
        ProviderCatalog<P> catalog = given != null ? given : ProviderCatalog.discover(kind, classLoader);
        for (ClassLoader plugin : pluginLoaders) {
            ProviderCatalog<P> found = ProviderCatalog.discover(kind, plugin);
            catalog = catalog.with(found.types().stream().map(type -> found.find(type).orElseThrow()).toList());
        }
        return catalog.with(instances);
    }

    /** A loader with the providers on the classpath and the process environment. */
    public static ConfigLoader standard() {
        return builder().build();
    }

    /** A builder: every part defaults as in {@link #standard()}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Loads and validates a file. Relative paths in it (secret files, {@code data_directory}, {@code Path}
     * keys) resolve against the file's directory.
     *
     * @throws ConfigException when the file cannot be read or has any problem
     */
    public TernConfig load(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        String text;
        try {
            text = Files.readString(absolute);
        } catch (NoSuchFileException e) {
            throw new ConfigException(new ConfigProblem(file.toString(), "", 0, "no such file"));
        } catch (IOException e) {
            throw new ConfigException(new ConfigProblem(file.toString(), "", 0, "cannot be read ("
                    + e.getClass().getSimpleName() + ")"));
        }
        boolean json = absolute.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
        return parse(text, json, file.toString(), absolute.getParent());
    }

    /**
     * Loads and validates YAML (or JSON) text held in memory, such as an embedded default config.
     *
     * @param origin the name errors give for the text, like {@code embedded default config}
     * @param configDirectory the directory relative paths resolve against
     * @throws ConfigException when the text has any problem
     */
    public TernConfig parse(String text, String origin, Path configDirectory) {
        return parse(text, false, origin, configDirectory.toAbsolutePath().normalize());
    }

    private TernConfig parse(String text, boolean json, String origin, Path configDirectory) {
        List<ConfigProblem> problems = new ArrayList<>();
        ConfigDocument document = ConfigDocument.read(text, json, origin, configDirectory, environment, problems);
        BindContext context = document.newContext(binder);
        context.problems().addAll(problems);
        return new TernConfigReader(issuers, sources, relays, fleets).read(document, context);
    }

    /** The credential issuer providers this loader knows. */
    public ProviderCatalog<CredentialIssuerProvider<?>> credentialIssuers() {
        return issuers;
    }

    /** The policy source providers this loader knows. */
    public ProviderCatalog<PolicySourceProvider<?>> policySources() {
        return sources;
    }

    /** The relay providers this loader knows. */
    public ProviderCatalog<RelayServerProvider<?>> relayServers() {
        return relays;
    }

    /** The fleet providers this loader knows ({@code none} among them). */
    public ProviderCatalog<FleetProvider<?>> fleets() {
        return fleets;
    }

    private static ClassLoader defaultClassLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : ConfigLoader.class.getClassLoader();
    }

    /** Builds a {@link ConfigLoader}; not thread-safe. */
    public static final class Builder {
        private Function<String, String> environment = System::getenv;
        private ClassLoader classLoader;
        private ProviderCatalog<CredentialIssuerProvider<?>> issuers;
        private ProviderCatalog<PolicySourceProvider<?>> sources;
        private ProviderCatalog<RelayServerProvider<?>> relays;
        private final List<ClassLoader> pluginLoaders = new ArrayList<>();
        private final List<CredentialIssuerProvider<?>> extraIssuers = new ArrayList<>();
        private final List<PolicySourceProvider<?>> extraSources = new ArrayList<>();
        private final List<RelayServerProvider<?>> extraRelays = new ArrayList<>();

        private Builder() {
        }

        /**
         * Also discover providers in {@code META-INF/services} of this class loader, next to those of
         * {@link #classLoader}: a plugin's own loader, whose parent shows it only the API. Repeatable.
         */
        public Builder pluginClassLoader(ClassLoader value) {
            pluginLoaders.add(Objects.requireNonNull(value, "pluginClassLoader"));
            return this;
        }

        /**
         * Adds a credential issuer provider the host made itself, next to the discovered ones: config uses it
         * by its {@code type} like any other. Repeatable; a type claimed twice fails {@link #build()}.
         */
        public Builder addCredentialIssuer(CredentialIssuerProvider<?> provider) {
            extraIssuers.add(Objects.requireNonNull(provider, "provider"));
            return this;
        }

        /**
         * Adds a policy source provider the host made itself, next to the discovered ones. This is how a
         * source gets the host's own services without a static: construct the provider with them
         * ({@code new GroupPolicyProvider(groupStore)}) and config names its {@code type}. Repeatable; a type
         * claimed twice fails {@link #build()}.
         */
        public Builder addPolicySource(PolicySourceProvider<?> provider) {
            extraSources.add(Objects.requireNonNull(provider, "provider"));
            return this;
        }

        /** Adds a relay provider the host made itself, next to the discovered ones. Repeatable. */
        public Builder addRelayServer(RelayServerProvider<?> provider) {
            extraRelays.add(Objects.requireNonNull(provider, "provider"));
            return this;
        }

        /** Where {@code ${NAME}} values come from (default {@link System#getenv(String)}); null means unset. */
        public Builder environment(Function<String, String> value) {
            this.environment = Objects.requireNonNull(value, "environment");
            return this;
        }

        /** The class loader providers are discovered with (default: the thread's context class loader). */
        public Builder classLoader(ClassLoader value) {
            this.classLoader = Objects.requireNonNull(value, "classLoader");
            return this;
        }

        /** Use these credential issuer providers instead of discovering them. */
        public Builder credentialIssuers(ProviderCatalog<CredentialIssuerProvider<?>> value) {
            this.issuers = Objects.requireNonNull(value, "credentialIssuers");
            return this;
        }

        /** Use these policy source providers instead of discovering them. */
        public Builder policySources(ProviderCatalog<PolicySourceProvider<?>> value) {
            this.sources = Objects.requireNonNull(value, "policySources");
            return this;
        }

        /** Use these relay providers instead of discovering them. */
        public Builder relayServers(ProviderCatalog<RelayServerProvider<?>> value) {
            this.relays = Objects.requireNonNull(value, "relayServers");
            return this;
        }

        /**
         * Builds the loader, discovering the providers not given and adding those added.
         *
         * @throws IllegalStateException when two providers (discovered, from a plugin or added) claim the same type
         */
        public ConfigLoader build() {
            return new ConfigLoader(this);
        }
    }
}
