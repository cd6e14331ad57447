package dev.tern.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.spi.InvalidSettingException;
import dev.tern.spi.Provider;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A provider chosen by a config section's {@code type:} together with that section bound to the
 * provider's config type: everything needed to call the provider's {@code create}, and to report a
 * failure of {@code create} at the right place in the file.
 *
 * <p>Immutable and thread-safe (as far as the config object is).
 *
 * @param <P> the provider interface
 */
public final class BoundProvider<P extends Provider<?>> {

    private final ConfigDocument document;
    private final String path;
    private final P provider;
    private final Object config;
    private final Map<String, String> sensitive;

    BoundProvider(ConfigDocument document, String path, P provider, Object config,
            Map<String, String> sensitive) {
        this.document = document;
        this.sensitive = Map.copyOf(sensitive);
        this.path = path;
        this.provider = Objects.requireNonNull(provider, "provider");
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * Binds a section: reads {@code type}, finds the provider, binds the other keys (minus
     * {@code strippedKeys}) to its config type. Problems go to {@code context}.
     */
    static <P extends Provider<?>> Optional<BoundProvider<P>> bind(JsonNode node, ProviderCatalog<P> catalog,
            String path, Collection<String> strippedKeys, BindContext context) {
        if (!(node instanceof ObjectNode object)) {
            context.addProblem(path, "found " + Found.describe(node, context) + ", expected a mapping with a 'type' "
                    + "key (known types: " + String.join(", ", catalog.types()) + ")");
            return Optional.empty();
        }
        JsonNode typeNode = object.get("type");
        if (typeNode == null || !typeNode.isTextual() || typeNode.textValue().isBlank()) {
            context.addProblem(KeyPath.key(path, "type"), (typeNode == null ? "required key is missing"
                    : "found " + Found.describe(typeNode, context) + ", expected a type name")
                    + " (known types: " + String.join(", ", catalog.types()) + ")");
            return Optional.empty();
        }
        String type = typeNode.textValue();
        Optional<P> provider = catalog.find(type);
        if (provider.isEmpty()) {
            context.addProblem(KeyPath.key(path, "type"), catalog.unknownTypeMessage(type));
            return Optional.empty();
        }
        ObjectNode rest = object.deepCopy();
        rest.remove("type");
        rest.remove(strippedKeys);
        List<String> extra = new ArrayList<>(strippedKeys);
        extra.add("type");
        return context.binder().bind(rest, provider.get().configType(), path, extra, context)
                .map(config -> new BoundProvider<>(context.document(), path, provider.get(), config,
                        context.sensitiveValues()));
    }

    /** The {@code type:} of the section. */
    public String type() {
        return provider.type();
    }

    /** The document the section was read from. */
    ConfigDocument document() {
        return document;
    }

    /** The key path of the section, like {@code credentials} or {@code policy.sources[1]}. */
    public String path() {
        return path;
    }

    /** The file (or name) the section came from. */
    public String origin() {
        return document.origin();
    }

    /** The provider. */
    public P provider() {
        return provider;
    }

    /** The bound config, an instance of {@code provider().configType()}. */
    public Object config() {
        return config;
    }

    /**
     * The error to throw when the provider's {@code create} refused a setting: it names the file, the
     * key path under this section and the line.
     */
    public ConfigException invalidSetting(InvalidSettingException e) {
        String at = KeyPath.join(path, e.key());
        return new ConfigException(document.problem(at, BindContext.scrub(e.problem(), at, sensitive)));
    }

    /** An error about this section as a whole, such as a relay configured without a verifier. */
    public ConfigException problem(String message) {
        return new ConfigException(document.problem(path, BindContext.scrub(message, path, sensitive)));
    }

    @Override
    public String toString() {
        return "BoundProvider[" + path + ": " + provider.type() + " (" + provider.getClass().getName() + ")]";
    }
}
