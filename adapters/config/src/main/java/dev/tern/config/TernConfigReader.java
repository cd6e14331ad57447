package dev.tern.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.spi.TurnPolicy;
import dev.tern.spi.CredentialIssuerProvider;
import dev.tern.spi.FleetProvider;
import dev.tern.spi.InvalidSettingException;
import dev.tern.spi.PolicySourceProvider;
import dev.tern.spi.PolicySourceSettings;
import dev.tern.spi.RelayServerProvider;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the top level of a config document into a {@link TernConfig}: checks the section names, binds
 * each provider section with its provider's config type, splits the generic keys off policy sources.
 * Collects every problem it can before failing. Not thread-safe; one per load.
 */
final class TernConfigReader {

    static final List<String> TOP_LEVEL_KEYS = List.of("server_name", "data_directory", "credentials", "policy",
            "relay", "matrix", "metrics", "fleet");
    private static final List<String> POLICY_KEYS = List.of("defaults", "sources");
    private static final String DEFAULT_DATA_DIRECTORY = "./tern-data";

    private final ProviderCatalog<CredentialIssuerProvider<?>> issuers;
    private final ProviderCatalog<PolicySourceProvider<?>> sources;
    private final ProviderCatalog<RelayServerProvider<?>> relays;
    private final ProviderCatalog<FleetProvider<?>> fleets;

    TernConfigReader(ProviderCatalog<CredentialIssuerProvider<?>> issuers,
            ProviderCatalog<PolicySourceProvider<?>> sources, ProviderCatalog<RelayServerProvider<?>> relays,
            ProviderCatalog<FleetProvider<?>> fleets) {
        this.issuers = issuers;
        this.sources = sources;
        this.relays = relays;
        this.fleets = fleets;
    }

    /** Reads the document; problems collected in {@code context} are thrown together at the end. */
    TernConfig read(ConfigDocument document, BindContext context) {
        JsonNode root = document.root();
        if (root.isMissingNode() || root.isNull()) {
            context.addProblem("", "the file is empty; expected a mapping with at least server_name");
            context.throwIfProblems();
        }
        if (!(root instanceof ObjectNode top)) {
            context.addProblem("", "found " + Found.describe(root, context)
                    + " at the top, expected a mapping of sections (" + String.join(", ", TOP_LEVEL_KEYS) + ")");
            throw new ConfigException(context.problems());
        }
        unknownKeys(top, "", TOP_LEVEL_KEYS, context);
        String serverName = serverName(top.get("server_name"), context);
        Path dataDirectory = dataDirectory(top.get("data_directory"), document, context);
        var credentials = optional(top, "credentials")
                .flatMap(node -> BoundProvider.bind(node, issuers, "credentials", List.of(), context));
        PolicyConfig policy = optional(top, "policy").map(node -> policy(node, context)).orElse(PolicyConfig.NONE);
        var relay = optional(top, "relay").flatMap(node -> BoundProvider.bind(node, relays, "relay",
                List.of(DrainDeadline.KEY), context));
        Duration drainDeadline = optional(top, "relay").filter(JsonNode::isObject)
                .map(node -> DrainDeadline.read(node, context)).orElse(DrainDeadline.DEFAULT);
        ConfigSection matrix = section(top, "matrix", document, context);
        ConfigSection metrics = section(top, "metrics", document, context);
        var fleet = optional(top, "fleet").flatMap(node -> BoundProvider.bind(node, fleets, "fleet", List.of(), context));
        context.throwIfProblems();
        return new TernConfig(document, serverName, dataDirectory, new BoundSections(credentials.orElse(null), policy,
                relay.orElse(null), drainDeadline, fleet.orElse(null)), matrix, metrics);
    }

    private static Optional<JsonNode> optional(ObjectNode object, String key) {
        JsonNode node = object.get(key);
        return node == null || node.isNull() ? Optional.empty() : Optional.of(node);
    }

    private static void unknownKeys(ObjectNode object, String path, List<String> known, BindContext context) {
        Iterator<String> names = object.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                context.addProblem(KeyPath.key(path, name), "unknown key" + NearestKey.hint(name, known)
                        + "; known keys here: " + String.join(", ", known));
            }
        }
    }

    private static String serverName(JsonNode node, BindContext context) {
        if (node == null) {
            context.addProblem("server_name", "required key is missing; expected the Matrix server name, "
                    + "like example.org");
            return "";
        }
        if (!node.isTextual() || node.textValue().isBlank() || node.textValue().chars().anyMatch(Character::isWhitespace)) {
            context.addProblem("server_name", "found " + Found.describe(node, context)
                    + ", expected the Matrix server name, like example.org");
            return "";
        }
        return node.textValue();
    }

    private static Path dataDirectory(JsonNode node, ConfigDocument document, BindContext context) {
        String text = node == null || node.isNull() ? DEFAULT_DATA_DIRECTORY : node.isTextual() ? node.textValue() : null;
        if (text == null || text.isBlank()) {
            context.addProblem("data_directory", "found " + Found.describe(node, context) + ", expected a directory path");
            return document.configDirectory();
        }
        try {
            return document.configDirectory().resolve(text).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            context.addProblem("data_directory", "found " + Found.describe(node, context) + ", expected a directory path");
            return document.configDirectory();
        }
    }

    private static ConfigSection section(ObjectNode top, String key, ConfigDocument document, BindContext context) {
        return optional(top, key).map(node -> new ConfigSection(document, context.binder(), key, node)).orElse(null);
    }

    private PolicyConfig policy(JsonNode node, BindContext context) {
        if (!(node instanceof ObjectNode policy)) {
            context.addProblem("policy", "found " + Found.describe(node, context)
                    + ", expected a mapping with the keys defaults, sources");
            return PolicyConfig.NONE;
        }
        unknownKeys(policy, "policy", POLICY_KEYS, context);
        TurnPolicy defaults = optional(policy, "defaults")
                .flatMap(d -> context.binder().bind(d, TurnPolicy.class, "policy.defaults", context))
                .orElse(TurnPolicy.EMPTY);
        List<BoundPolicySource> bound = new ArrayList<>();
        Optional<JsonNode> list = optional(policy, "sources");
        if (list.isPresent() && !(list.get() instanceof ArrayNode)) {
            context.addProblem("policy.sources", "found " + Found.describe(list.get(), context)
                    + ", expected a list of sources, each a mapping with a 'type' key");
        } else if (list.isPresent()) {
            Map<String, String> names = new HashMap<>();
            ArrayNode array = (ArrayNode) list.get();
            for (int i = 0; i < array.size(); i++) {
                source(array.get(i), i, names, context).ifPresent(bound::add);
            }
        }
        return new PolicyConfig(defaults, bound);
    }

    private Optional<BoundPolicySource> source(JsonNode node, int index, Map<String, String> names,
            BindContext context) {
        String path = KeyPath.index("policy.sources", index);
        Optional<BoundProvider<PolicySourceProvider<?>>> binding =
                BoundProvider.bind(node, sources, path, SourceSettingsKeys.KEYS, context);
        if (binding.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode generic = ((ObjectNode) node).deepCopy().retain(SourceSettingsKeys.KEYS);
        Optional<SourceSettingsKeys> keys = context.binder().bind(generic, SourceSettingsKeys.class, path, context);
        if (keys.isEmpty()) {
            return Optional.empty();
        }
        String name = keys.get().name() != null ? keys.get().name() : binding.get().type() + "#" + index;
        String previous = names.putIfAbsent(name, path);
        if (previous != null) {
            context.addProblem(KeyPath.key(path, "name"), "the name '" + name + "' is already used by " + previous
                    + "; source names must be unique (they show in policy explanations)");
            return Optional.empty();
        }
        try {
            PolicySourceSettings settings = new PolicySourceSettings(name, keys.get().onError(), keys.get().timeout());
            return Optional.of(new BoundPolicySource(settings, binding.get()));
        } catch (InvalidSettingException e) {
            context.addProblem(KeyPath.join(path, e.key()), e.problem());
            return Optional.empty();
        }
    }
}
