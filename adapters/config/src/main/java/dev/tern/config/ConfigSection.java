package dev.tern.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.spi.Provider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A part of the config file that this module does not bind itself (the {@code matrix} and
 * {@code metrics} sections, or a component of type {@code ConfigSection} in a config record): the
 * module that owns it binds it with {@link #bind} or {@link #bindProvider} and gets the same error
 * quality as every other section (file, key path, line, suggestions, masking, {@code *_file} secrets).
 * {@code ${ENV}} has already been expanded.
 *
 * <p>Immutable and thread-safe.
 */
public final class ConfigSection {

    private final ConfigDocument document;
    private final SectionBinder binder;
    private final String path;
    private final JsonNode tree;

    ConfigSection(ConfigDocument document, SectionBinder binder, String path, JsonNode tree) {
        this.document = document;
        this.binder = binder;
        this.path = Objects.requireNonNull(path, "path");
        this.tree = tree.deepCopy();
    }

    /** The key path of this section, like {@code matrix} or {@code matrix.access_tokens}. */
    public String path() {
        return path;
    }

    /** The file (or name) the section came from. */
    public String origin() {
        return document.origin();
    }

    /** The keys of this section, in file order (empty when the section is not a mapping). */
    public Set<String> keys() {
        Set<String> keys = new LinkedHashSet<>();
        tree.fieldNames().forEachRemaining(keys::add);
        return Collections.unmodifiableSet(keys);
    }

    /** The sub-section under {@code key}, if present. */
    public Optional<ConfigSection> section(String key) {
        JsonNode child = tree.get(key);
        return child == null ? Optional.empty()
                : Optional.of(new ConfigSection(document, binder, KeyPath.key(path, key), child));
    }

    /**
     * Binds this section to {@code type} (usually a record; snake_case keys, unknown keys refused).
     *
     * @throws ConfigException naming every problem found
     */
    public <T> T bind(Class<T> type) {
        BindContext context = document.newContext(binder);
        Optional<T> value = binder.bind(tree, type, path, context);
        context.throwIfProblems();
        return value.orElseThrow();
    }

    /**
     * Binds a section that selects a provider with {@code type:} (like {@code matrix.access_tokens}):
     * finds the provider in {@code catalog} and binds the other keys to its config type.
     *
     * @throws ConfigException for an unknown type (listing the known ones) or a binding problem
     */
    public <P extends Provider<?>> BoundProvider<P> bindProvider(ProviderCatalog<P> catalog) {
        BindContext context = document.newContext(binder);
        Optional<BoundProvider<P>> bound = BoundProvider.bind(tree, catalog, path, List.of(), context);
        context.throwIfProblems();
        return bound.orElseThrow();
    }

    /**
     * An error at a key of this section, for checks the owning module makes after binding.
     *
     * @param key the key relative to this section ({@code listen}, {@code tls.cert_file}); empty for the
     *     section itself
     */
    public ConfigException problem(String key, String message) {
        BindContext context = document.newContext(binder);
        context.addProblem(KeyPath.join(path, key), message);
        return new ConfigException(new ArrayList<>(context.problems()));
    }

    /** The tree, for printing; package-private so nothing outside binds around the checks. */
    JsonNode tree() {
        return tree;
    }

    /** The {@code ${ENV}} reference written at this key path, when its value came from one. */
    Optional<String> writtenReferenceAt(String keyPath) {
        return document.writtenReference(keyPath);
    }

    /** Whether the value at this key path (under this section or not) came from {@code ${ENV}}. */
    boolean isSensitiveAt(String keyPath) {
        return document.sensitive().containsKey(keyPath);
    }

    @Override
    public String toString() {
        return "ConfigSection[" + path + " in " + document.origin() + "]";
    }
}
