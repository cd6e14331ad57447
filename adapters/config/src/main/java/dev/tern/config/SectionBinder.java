package dev.tern.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Binds a config sub-tree to a type with Jackson: snake_case keys, unknown keys refused, the value types
 * of {@link ConfigDeserializers}, {@code Optional}s; the tree is first checked by {@link ShapeCheck}.
 * Problems go to the {@link BindContext}; nothing is thrown. Thread-safe (the mapper is configured once).
 */
final class SectionBinder {

    private final ObjectMapper mapper;

    SectionBinder() {
        mapper = JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .addModule(new Jdk8Module())
                .addModule(ConfigDeserializers.module())
                .build();
        // force_relay: 1 is more likely a mistake than a way to write true.
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
    }

    /**
     * Binds {@code node} (left unchanged) to {@code type}.
     *
     * @param extraKeys keys valid at the top of this section though not in the type (already removed
     *     from {@code node}); offered as suggestions for typos
     * @return the value, or empty when problems were added to {@code context}
     */
    <T> Optional<T> bind(JsonNode node, Class<T> type, String path, Collection<String> extraKeys,
            BindContext context) {
        if (context.document().unexpandedUnder(path)) {
            return Optional.empty();
        }
        int before = context.problems().size();
        JsonNode checked = new ShapeCheck(context).check(node.deepCopy(), type, path, extraKeys);
        if (context.problems().size() > before) {
            return Optional.empty();
        }
        try {
            T value = mapper.readerFor(type)
                    .withAttribute(ConfigDeserializers.CONTEXT, context)
                    .withAttribute(ConfigDeserializers.BASE_PATH, path)
                    .readValue(checked);
            if (value == null) {
                context.addProblem(path, "found an empty value, expected " + MappingErrors.expected(type));
                return Optional.empty();
            }
            return Optional.of(value);
        } catch (JsonMappingException e) {
            MappingErrors.report(e, path, checked, context);
        } catch (IOException e) {
            context.addProblem(path, "cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        return Optional.empty();
    }

    /** Binds with no extra keys. */
    <T> Optional<T> bind(JsonNode node, Class<T> type, String path, BindContext context) {
        return bind(node, type, path, List.of(), context);
    }
}
