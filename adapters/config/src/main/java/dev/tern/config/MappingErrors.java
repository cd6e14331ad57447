package dev.tern.config;

import dev.tern.host.DurationText;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.tern.spi.Bitrate;
import dev.tern.spi.Secret;
import dev.tern.spi.InvalidSettingException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Turns Jackson's binding exceptions into {@link ConfigProblem}s that name the key path, what was found
 * (masked when sensitive) and what was expected, and that unwrap {@link InvalidSettingException}s thrown
 * by config records' constructors. Never uses Jackson's own message where it could repeat a value.
 * Stateless.
 */
final class MappingErrors {

    private MappingErrors() {
    }

    /** Adds the problem {@code e} describes; {@code node} is the tree that was bound at {@code basePath}. */
    static void report(JsonMappingException e, String basePath, JsonNode node, BindContext context) {
        String relative = pathOf(e.getPath());
        String path = KeyPath.join(basePath, relative);
        if (e instanceof ConfigDeserializers.MaskedSecretException masked) {
            context.addProblem(path, masked.getOriginalMessage());
        } else if (e instanceof UnrecognizedPropertyException unknown) {
            List<String> known = new ArrayList<>();
            Collection<Object> ids = unknown.getKnownPropertyIds();
            if (ids != null) {
                ids.forEach(id -> known.add(String.valueOf(id)));
            }
            context.addProblem(path, "unknown key" + NearestKey.hint(unknown.getPropertyName(), known));
        } else if (e instanceof ValueInstantiationException failed) {
            reportConstructorFailure(failed.getCause(), path, failed.getType().getRawClass(), context);
        } else if (e instanceof MismatchedInputException mismatch) {
            Class<?> target = mismatch.getTargetType();
            JsonNode found = at(node, e.getPath());
            if (found == null && e instanceof InvalidFormatException format && format.getValue() != null) {
                found = com.fasterxml.jackson.databind.node.TextNode.valueOf(String.valueOf(format.getValue()));
            }
            String foundText = target == Secret.class ? "a value" : Found.describe(found, context, path);
            context.addProblem(path, "found " + foundText + ", expected " + expected(target));
        } else if (e.getCause() instanceof IllegalArgumentException cause) {
            reportConstructorFailure(cause, path, Object.class, context);
        } else {
            context.addProblem(path, "cannot be read: " + firstLine(e.getOriginalMessage()));
        }
    }

    private static void reportConstructorFailure(Throwable cause, String path, Class<?> type, BindContext context) {
        if (cause instanceof InvalidSettingException invalid) {
            context.addProblem(KeyPath.join(path, invalid.key()), invalid.problem());
        } else if (cause instanceof NullPointerException npe && npe.getMessage() != null && type.isRecord()
                && ShapeCheck.keysOf(type).contains(ShapeCheck.configKey(npe.getMessage()))) {
            context.addProblem(KeyPath.join(path, ShapeCheck.configKey(npe.getMessage())), "required key is missing");
        } else if (cause != null && cause.getMessage() != null) {
            context.addProblem(path, firstLine(cause.getMessage()));
        } else {
            context.addProblem(path, "not accepted (" + (cause == null ? "unknown reason"
                    : cause.getClass().getSimpleName()) + ")");
        }
    }

    /** What a value of the target type looks like, for "expected ...". */
    static String expected(Class<?> target) {
        if (target == null) {
            return "a different value";
        }
        if (target == String.class || target == CharSequence.class) {
            return "a string";
        }
        if (target == Integer.class || target == int.class || target == Long.class || target == long.class
                || target == Short.class || target == short.class || target == OptionalInt.class
                || target == OptionalLong.class) {
            return "a whole number";
        }
        if (target == Double.class || target == double.class || target == Float.class || target == float.class) {
            return "a number";
        }
        if (target == Boolean.class || target == boolean.class) {
            return "true or false";
        }
        if (target == Duration.class) {
            return DurationText.EXPECTED;
        }
        if (target == Bitrate.class) {
            return "a bitrate like 512k, 2M or 1G (bits per second)";
        }
        if (target == Secret.class) {
            return "a secret string, ${ENV_VAR}, or a *_file key naming a file that holds it";
        }
        if (target == Path.class) {
            return "a file path";
        }
        if (target.isEnum()) {
            return "one of " + ConfigDeserializers.enumNames(target);
        }
        if (Collection.class.isAssignableFrom(target) || target.isArray()) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(target) || target == ConfigSection.class) {
            return "a mapping (key: value)";
        }
        if (target.isRecord()) {
            return "a mapping with the keys " + String.join(", ", ShapeCheck.keysOf(target));
        }
        if (target == Optional.class) {
            return "a value";
        }
        return "a " + target.getSimpleName();
    }

    /** {@code credentials.secrets[0]} from Jackson's path, relative to the node that was bound. */
    static String pathOf(List<JsonMappingException.Reference> references) {
        String path = "";
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                path = KeyPath.key(path, reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path = KeyPath.index(path, reference.getIndex());
            }
        }
        return path;
    }

    /** The same from a parser's context, relative to the node being parsed. */
    static String pathOf(JsonStreamContext leaf) {
        List<JsonStreamContext> chain = new ArrayList<>();
        for (JsonStreamContext c = leaf; c != null; c = c.getParent()) {
            chain.add(0, c);
        }
        String path = "";
        for (JsonStreamContext c : chain) {
            if (c.inObject() && c.getCurrentName() != null) {
                path = KeyPath.key(path, c.getCurrentName());
            } else if (c.inArray() && c.getCurrentIndex() >= 0) {
                path = KeyPath.index(path, c.getCurrentIndex());
            }
        }
        return path;
    }

    private static JsonNode at(JsonNode root, List<JsonMappingException.Reference> references) {
        JsonNode node = root;
        for (JsonMappingException.Reference reference : references) {
            if (node == null) {
                return null;
            }
            node = reference.getFieldName() != null ? node.get(reference.getFieldName())
                    : reference.getIndex() >= 0 ? node.get(reference.getIndex()) : node;
        }
        return node;
    }

    private static String firstLine(String message) {
        return message == null ? "unknown reason" : message.lines().findFirst().orElse("unknown reason");
    }
}
