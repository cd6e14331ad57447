package dev.tern.config;

import dev.tern.api.DurationText;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tern.api.PolicyField;
import dev.tern.api.Secret;
import dev.tern.api.TurnPolicy;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Renders a {@link TernConfig} as YAML the way it will be used: defaults filled in by the config
 * records, paths absolute, durations and bitrates in config spelling, every {@link Secret} and every
 * value that came from {@code ${ENV}} or a secret file as {@code ****}. In sections nobody has bound yet
 * ({@code matrix}, {@code metrics}), values of keys that look secret are masked too, and so are the access
 * tokens that key {@code matrix.access_tokens.tokens}: each key prints as {@code ****}, or {@code **** (1)},
 * {@code **** (2)}... when there are several, so the output stays valid YAML without duplicate keys and still
 * shows each token's user (the static verifier refuses such a key, so the output pasted back unchanged never
 * serves a guessable token). Masking goes by where a value is, never by its text.
 * Stateless.
 */
final class EffectiveConfig {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String MASK = "****";
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
        if (value(bound.config()) instanceof ObjectNode fields) {
            into.setAll(fields);
        }
        return into;
    }

    private static ObjectNode policy(TurnPolicy policy) {
        ObjectNode node = NODES.objectNode();
        for (PolicyField field : PolicyField.values()) {
            field.valueIn(policy).ifPresent(v -> node.set(field.configKey(), value(v)));
        }
        return node;
    }

    private static JsonNode value(Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof Secret) {
            return NODES.textNode(MASK);
        }
        if (value instanceof Optional<?> optional) {
            return optional.map(EffectiveConfig::value).orElse(NODES.nullNode());
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
            ArrayNode array = NODES.arrayNode();
            // Sets print sorted, so the output is the same from run to run.
            Comparator<JsonNode> order = value instanceof Set<?> ? Comparator.comparing(JsonNode::asText) : (a, b) -> 0;
            collection.stream().map(EffectiveConfig::value).sorted(order).forEach(array::add);
            return array;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = NODES.objectNode();
            map.forEach((k, v) -> object.set(String.valueOf(k), value(v)));
            return object;
        }
        if (value.getClass().isRecord()) {
            return record(value);
        }
        return NODES.textNode(value.toString());
    }

    private static ObjectNode record(Object record) {
        ObjectNode object = NODES.objectNode();
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            try {
                component.getAccessor().setAccessible(true);
                Object v = component.getAccessor().invoke(record);
                JsonNode rendered = value(v);
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

    // By position only: the value of a secret-looking key, a value that came from ${ENV}, and the keys of a
    // 'tokens' mapping (matrix.access_tokens.tokens of the static verifier maps each access token to its user).
    private static JsonNode masked(JsonNode node, String path, String key, ConfigSection section) {
        if (node instanceof ObjectNode object) {
            boolean secretKeys = key.equals("tokens");
            ObjectNode out = NODES.objectNode();
            int n = 0;
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                JsonNode value = masked(field.getValue(), KeyPath.key(path, field.getKey()), field.getKey(), section);
                n++;
                out.set(secretKeys ? MASK + (object.size() > 1 ? " (" + n + ")" : "") : field.getKey(), value);
            }
            return out;
        }
        if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, masked(array.get(i), KeyPath.index(path, i), key, section));
            }
            return array;
        }
        if (node.isValueNode() && !node.isNull() && (Found.looksSecret(key) || section.isSensitiveAt(path))) {
            return NODES.textNode(MASK);
        }
        return node;
    }
}
