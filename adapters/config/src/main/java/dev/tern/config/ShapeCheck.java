package dev.tern.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.spi.Secret;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Walks a section's tree alongside the record type it will be bound to, before Jackson sees it:
 * <ul>
 *   <li>reports every unknown key at once, each with the nearest known key;</li>
 *   <li>replaces {@code x_file: path} by the file's content for a {@code Secret} component {@code x},
 *       and {@code x_files: [paths]} for a {@code List<Secret>} (also {@code secret_files} for
 *       {@code secrets}), when the record has no component of that name; relative paths resolve
 *       against the config file's directory and one trailing newline is trimmed;</li>
 *   <li>remembers the values of {@code Secret} keys as sensitive.</li>
 * </ul>
 * Types it does not understand (non-record classes, {@link ConfigSection}) are left to Jackson.
 * Works on the tree it is given (callers pass a copy). Not thread-safe.
 */
final class ShapeCheck {

    private static final PropertyNamingStrategies.NamingBase SNAKE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    private final BindContext context;

    ShapeCheck(BindContext context) {
        this.context = context;
    }

    /** The snake_case config key of a record component name. */
    static String configKey(String componentName) {
        return SNAKE.translate(componentName);
    }

    /** The config keys of a record type, in declaration order. */
    static List<String> keysOf(Class<?> recordType) {
        List<String> keys = new ArrayList<>();
        for (RecordComponent component : recordType.getRecordComponents()) {
            keys.add(configKey(component.getName()));
        }
        return keys;
    }

    /**
     * Checks {@code node} against {@code type}, possibly replacing secret-file keys.
     *
     * @param extraKeys keys that are valid here though the type lacks them (suggested for typos too)
     * @return the node to bind: the same node or, for a secret read from a file, a new one
     */
    JsonNode check(JsonNode node, Type type, String path, Collection<String> extraKeys) {
        Class<?> raw = rawClass(type);
        if (raw == Optional.class || Collection.class.isAssignableFrom(raw) || Map.class.isAssignableFrom(raw)) {
            Type inner = typeArgument(type, raw == Map.class || Map.class.isAssignableFrom(raw) ? 1 : 0);
            if (raw == Optional.class) {
                return check(node, inner, path, extraKeys);
            }
            if (inner == Secret.class && node.isValueNode() && !node.isNull()) {
                context.markSensitive(path, node.asText()); // a secret where a list of them belongs: still a secret
            }
            if (node instanceof ArrayNode array && Collection.class.isAssignableFrom(raw)) {
                for (int i = 0; i < array.size(); i++) {
                    array.set(i, check(array.get(i), inner, KeyPath.index(path, i), List.of()));
                }
            } else if (node instanceof ObjectNode object && Map.class.isAssignableFrom(raw)) {
                for (String key : fieldNames(object)) {
                    object.set(key, check(object.get(key), inner, KeyPath.key(path, key), List.of()));
                }
            }
            return node;
        }
        if (raw == Secret.class && node.isValueNode() && !node.isNull()) {
            context.markSensitive(path, node.asText());
        } else if (raw.isRecord() && node instanceof ObjectNode object) {
            checkRecord(object, raw, path, extraKeys);
        }
        return node;
    }

    private void checkRecord(ObjectNode object, Class<?> recordType, String path, Collection<String> extraKeys) {
        Map<String, RecordComponent> components = new LinkedHashMap<>();
        for (RecordComponent component : recordType.getRecordComponents()) {
            components.put(configKey(component.getName()), component);
        }
        Set<String> known = new LinkedHashSet<>(components.keySet());
        components.forEach((key, component) -> secretFileKeys(key, component.getGenericType()).forEach(known::add));
        known.addAll(extraKeys);
        for (String key : fieldNames(object)) {
            String keyPath = KeyPath.key(path, key);
            RecordComponent component = components.get(key);
            if (component != null) {
                object.set(key, check(object.get(key), component.getGenericType(), keyPath, List.of()));
            } else if (!extraKeys.contains(key) && !readSecretFile(object, key, components, path)) {
                context.addProblem(keyPath, "unknown key" + NearestKey.hint(key, known) + "; known keys here: "
                        + String.join(", ", known));
            }
        }
    }

    /** The file keys a component accepts: {@code x_file} for a Secret, {@code x_files} for a list of them. */
    private static List<String> secretFileKeys(String key, Type type) {
        Type target = unwrapOptional(type);
        if (target == Secret.class) {
            return List.of(key + "_file");
        }
        if (Collection.class.isAssignableFrom(rawClass(target)) && typeArgument(target, 0) == Secret.class) {
            return key.endsWith("s") && key.length() > 1
                    ? List.of(key + "_files", key.substring(0, key.length() - 1) + "_files")
                    : List.of(key + "_files");
        }
        return List.of();
    }

    /** Replaces a secret-file key by the secret; false when {@code key} is not one. */
    private boolean readSecretFile(ObjectNode object, String key, Map<String, RecordComponent> components, String path) {
        for (Map.Entry<String, RecordComponent> entry : components.entrySet()) {
            if (!secretFileKeys(entry.getKey(), entry.getValue().getGenericType()).contains(key)) {
                continue;
            }
            String target = entry.getKey();
            String keyPath = KeyPath.key(path, key);
            JsonNode files = object.remove(key);
            if (object.has(target)) {
                context.addProblem(keyPath, "set either '" + target + "' or '" + key + "', not both");
                return true;
            }
            boolean many = key.endsWith("_files");
            if (many) {
                if (!(files instanceof ArrayNode list)) {
                    context.addProblem(keyPath, "found " + Found.describe(files, context)
                            + ", expected a list of file paths");
                    return true;
                }
                ArrayNode secrets = JsonNodeFactory.instance.arrayNode();
                for (int i = 0; i < list.size(); i++) {
                    readFile(list.get(i), KeyPath.index(keyPath, i), KeyPath.index(KeyPath.key(path, target), secrets.size()))
                            .ifPresent(secrets::add);
                }
                object.set(target, secrets);
            } else {
                readFile(files, keyPath, KeyPath.key(path, target)).ifPresent(secret -> object.put(target, secret));
            }
            return true;
        }
        return false;
    }

    private Optional<String> readFile(JsonNode pathNode, String keyPath, String targetPath) {
        if (!pathNode.isTextual() || pathNode.textValue().isBlank()) {
            context.addProblem(keyPath, "found " + Found.describe(pathNode, context) + ", expected a file path");
            return Optional.empty();
        }
        Path file;
        try {
            file = context.document().configDirectory().resolve(pathNode.textValue()).normalize();
        } catch (InvalidPathException e) {
            // A NUL character, for one: found by the config fuzz test (ConfigLoaderFuzzTest).
            context.addProblem(keyPath, "found " + Found.describe(pathNode, context) + ", expected a file path");
            return Optional.empty();
        }
        try {
            String content = Files.readString(file);
            if (content.endsWith("\r\n")) {
                content = content.substring(0, content.length() - 2);
            } else if (content.endsWith("\n")) {
                content = content.substring(0, content.length() - 1);
            }
            context.markSensitive(keyPath, content);
            context.markSensitive(targetPath, content);
            return Optional.of(content);
        } catch (NoSuchFileException e) {
            context.addProblem(keyPath, "secret file " + file + " does not exist");
        } catch (AccessDeniedException e) {
            context.addProblem(keyPath, "secret file " + file + " cannot be read: permission denied");
        } catch (IOException e) {
            context.addProblem(keyPath, "secret file " + file + " cannot be read (" + e.getClass().getSimpleName()
                    + ")");
        }
        return Optional.empty();
    }

    private static List<String> fieldNames(ObjectNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Type unwrapOptional(Type type) {
        return rawClass(type) == Optional.class ? typeArgument(type, 0) : type;
    }

    static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            return c;
        }
        return Object.class;
    }

    private static Type typeArgument(Type type, int index) {
        if (type instanceof ParameterizedType p && p.getActualTypeArguments().length > index) {
            return p.getActualTypeArguments()[index];
        }
        return Object.class;
    }
}
