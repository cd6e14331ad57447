package dev.tern.config;

import dev.tern.host.DurationText;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tern.spi.PolicyField;
import dev.tern.spi.Secret;
import dev.tern.spi.TurnPolicy;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Renders a {@link TernConfig} as YAML the way it will be used, and so that it can be pasted back: defaults filled
 * in by the config records, paths absolute (a secret file prints as its path), durations and bitrates in config
 * spelling. Only values are masked, never keys. A value that came from {@code ${ENV}} prints as the reference as
 * written ({@code ${TURN_SECRET}}), which loads again; a {@link Secret} written literally prints as {@code ****},
 * which every secret key refuses, naming its key path, so the output pasted back never serves a guessable secret.
 * In sections nobody has bound yet ({@code matrix}, {@code metrics}), values of keys that look secret are masked
 * too, and the short form of the static access tokens ({@code tokens: {token: user}}, where the token is a key)
 * prints in the long form {@code users: [{user: ..., token: ****}]}, so the token is a value. Masking goes by
 * where a value is, never by its text. Stateless.
 */
final class EffectiveConfig {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String MASK = Secret.MASK;
    /** The static access tokens' short form ({@code tokens: {token: user}}) and long form ({@code users:}). */
    private static final String SHORT_TOKENS = "tokens";
    private static final String LONG_TOKENS = "users";
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build();

    private EffectiveConfig() {
    }

    static String render(TernConfig config) {
        ObjectNode root = NODES.objectNode();
        root.put("server_name", config.serverName());
        root.put("data_directory", config.dataDirectory().toString());
        config.credentials().ifPresent(c -> root.set("credentials", provider(c, NODES.objectNode())));
        ObjectNode policy = root.putObject("policy");
        policy.set("defaults", policy(config.policy().defaults()));
        ArrayNode sources = policy.putArray("sources");
        for (BoundPolicySource source : config.policy().sources()) {
            ObjectNode entry = NODES.objectNode();
            entry.put("type", source.binding().type());
            entry.put("name", source.settings().name());
            entry.put("on_error", source.settings().onError().name().toLowerCase(Locale.ROOT));
            entry.put("timeout", DurationText.format(source.settings().timeout()));
            sources.add(provider(source.binding(), entry));
        }
        config.relay().ifPresent(r -> root.set("relay", provider(r, NODES.objectNode())
                .put(DrainDeadline.KEY, DurationText.format(config.drainDeadline()))));
        config.matrix().ifPresent(s -> root.set("matrix", masked(s)));
        config.metrics().ifPresent(s -> root.set("metrics", masked(s)));
        config.fleet().ifPresent(f -> root.set("fleet", provider(f, NODES.objectNode())));
        try {
            return YAML.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the effective config", e);
        }
    }

    private static ObjectNode provider(BoundProvider<?> bound, ObjectNode into) {
        into.put("type", bound.type());
        if (value(bound.config(), bound.path(), bound.document()) instanceof ObjectNode fields) {
            into.setAll(fields);
        }
        return into;
    }

    private static ObjectNode policy(TurnPolicy policy) {
        ObjectNode node = NODES.objectNode();
        for (PolicyField field : PolicyField.values()) {
            field.valueIn(policy).ifPresent(v -> node.set(field.configKey(), value(v, "", null)));
        }
        return node;
    }

    /** The value at {@code path} of {@code document} (null for values that come from no document). */
    private static JsonNode value(Object value, String path, ConfigDocument document) {
        if (value == null) {
            return NODES.nullNode();
        }
        Optional<String> reference = document == null ? Optional.empty() : document.writtenReference(path);
        if (reference.isPresent() && !(value instanceof Collection<?>) && !(value instanceof Map<?, ?>)
                && !value.getClass().isRecord()) {
            return NODES.textNode(reference.get());
        }
        if (value instanceof Secret) {
            return NODES.textNode(MASK);
        }
        if (value instanceof Optional<?> optional) {
            return optional.map(v -> value(v, path, document)).orElse(NODES.nullNode());
        }
        if (value instanceof OptionalInt optional) {
            return optional.isPresent() ? NODES.numberNode(optional.getAsInt()) : NODES.nullNode();
        }
        if (value instanceof OptionalLong optional) {
            return optional.isPresent() ? NODES.numberNode(optional.getAsLong()) : NODES.nullNode();
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            return NODES.numberNode(((Number) value).longValue());
        }
        if (value instanceof Number n) {
            return NODES.numberNode(n.doubleValue());
        }
        if (value instanceof Duration d) {
            return NODES.textNode(DurationText.format(d));
        }
        if (value instanceof Enum<?> e) {
            return NODES.textNode(e.name().toLowerCase(Locale.ROOT));
        }
        if (value instanceof InetAddress address) {
            return NODES.textNode(address.getHostAddress());
        }
        if (value instanceof ConfigSection section) {
            return masked(section);
        }
        if (value instanceof Collection<?> collection) {
            List<JsonNode> items = new ArrayList<>();
            for (Object item : collection) {
                items.add(value(item, KeyPath.index(path, items.size()), document));
            }
            if (value instanceof Set<?>) { // sets print sorted, so the output is the same from run to run
                items.sort(Comparator.comparing(JsonNode::asText));
            }
            ArrayNode array = NODES.arrayNode();
            items.forEach(array::add);
            return array;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = NODES.objectNode();
            map.forEach((k, v) -> object.set(String.valueOf(k), value(v, KeyPath.key(path, String.valueOf(k)),
                    document)));
            return object;
        }
        if (value.getClass().isRecord()) {
            return record(value, path, document);
        }
        return NODES.textNode(value.toString());
    }

    private static ObjectNode record(Object record, String path, ConfigDocument document) {
        ObjectNode object = NODES.objectNode();
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            try {
                component.getAccessor().setAccessible(true);
                Object v = component.getAccessor().invoke(record);
                String key = ShapeCheck.configKey(component.getName());
                JsonNode rendered = value(v, KeyPath.key(path, key), document);
                if (!rendered.isNull()) {
                    object.set(ShapeCheck.configKey(component.getName()), rendered);
                }
            } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
                object.put(ShapeCheck.configKey(component.getName()), "(not readable)");
            }
        }
        return object;
    }

    private static JsonNode masked(ConfigSection section) {
        return masked(section.tree().deepCopy(), section.path(), "", section);
    }

    // By position only: a value that came from ${ENV} prints as its reference; the value of a secret-looking key
    // is masked; a 'tokens' mapping (the short form of the static verifier: each access token, a key, to its user)
    // becomes entries of 'users' ({user, token}), added after those written there, with the token masked.
    private static JsonNode masked(JsonNode node, String path, String key, ConfigSection section) {
        if (node instanceof ObjectNode object) {
            ObjectNode out = NODES.objectNode();
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                if (field.getKey().equals(SHORT_TOKENS) && field.getValue() instanceof ObjectNode) {
                    continue;
                }
                out.set(field.getKey(),
                        masked(field.getValue(), KeyPath.key(path, field.getKey()), field.getKey(), section));
            }
            if (object.get(SHORT_TOKENS) instanceof ObjectNode tokens) {
                ArrayNode users = out.get(LONG_TOKENS) instanceof ArrayNode written ? written : NODES.arrayNode();
                for (Map.Entry<String, JsonNode> token : tokens.properties()) {
                    ObjectNode entry = users.addObject();
                    entry.set("user", masked(token.getValue(),
                            KeyPath.key(KeyPath.key(path, SHORT_TOKENS), token.getKey()), "user", section));
                    entry.put("token", MASK);
                }
                out.set(LONG_TOKENS, users);
            }
            return out;
        }
        if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, masked(array.get(i), KeyPath.index(path, i), key, section));
            }
            return array;
        }
        Optional<String> reference = section.writtenReferenceAt(path);
        if (reference.isPresent()) {
            return NODES.textNode(reference.get());
        }
        if (node.isValueNode() && !node.isNull() && (Found.looksSecret(key) || section.isSensitiveAt(path))) {
            return NODES.textNode(MASK);
        }
        return node;
    }
}
