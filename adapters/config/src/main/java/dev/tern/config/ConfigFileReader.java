package dev.tern.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads a YAML or JSON file that a provider owns (the {@code file} policy source's rules file) into a
 * record, with the same checks and messages as the main config file: every unknown key with the nearest
 * known one ("did you mean"), each problem with the file, its own line and the key path inside the file,
 * values described as the main config describes them, duplicate keys refused. {@code ${ENV}} is not
 * expanded: the text is taken as written.
 *
 * <p>To report every mistake rather than the first, the entries of a top-level list of records (the
 * {@code rules:} of a rules file) are bound one by one: each entry's unknown keys, and its first wrong
 * value, are reported. An empty document binds as an empty mapping.
 *
 * <p>Thread-safe and reusable: each {@link #read} works on its own state.
 *
 * @param <T> the record the file is bound to
 */
public final class ConfigFileReader<T> {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Path file;
    private final Class<T> type;
    private final boolean json;
    private final SectionBinder binder = new SectionBinder();

    /**
     * @param file the file: its name is the origin of every problem, its extension picks the format
     *     ({@code .json} is JSON, anything else YAML), its directory is where relative paths resolve
     * @param type the record type of the whole document
     */
    public ConfigFileReader(Path file, Class<T> type) {
        this.file = Objects.requireNonNull(file, "file");
        this.type = Objects.requireNonNull(type, "type");
        this.json = file.getFileName() != null
                && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
    }

    /** The file this reader reads. */
    public Path file() {
        return file;
    }

    /**
     * Binds the content of the file.
     *
     * @throws ConfigException listing every problem found, each with this file, its line and key path
     */
    public T read(byte[] content) {
        List<ConfigProblem> problems = new ArrayList<>();
        Path directory = file.toAbsolutePath().getParent();
        ConfigDocument document = ConfigDocument.read(new String(content, StandardCharsets.UTF_8), json,
                file.toString(), directory == null ? Path.of("") : directory, null, problems);
        BindContext context = document.newContext(binder);
        context.problems().addAll(problems);
        JsonNode root = document.root();
        if (root.isMissingNode() || root.isNull()) {
            root = NODES.objectNode();
        }
        if (!(root instanceof ObjectNode object)) {
            context.addProblem("", "found " + Found.describe(root, context) + " at the top, expected "
                    + MappingErrors.expected(type));
            throw new ConfigException(context.problems());
        }
        ObjectNode rest = object.deepCopy();
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                String key = ShapeCheck.configKey(component.getName());
                Optional<Class<?>> entryType = recordListEntry(component.getGenericType());
                if (entryType.isPresent() && object.get(key) != null && object.get(key).isArray()) {
                    JsonNode entries = object.get(key);
                    for (int i = 0; i < entries.size(); i++) {
                        binder.bind(entries.get(i), entryType.get(), KeyPath.index(key, i), context);
                    }
                    rest.set(key, NODES.arrayNode());
                }
            }
        }
        binder.bind(rest, type, "", context);
        context.throwIfProblems();
        Optional<T> bound = binder.bind(object, type, "", context);
        context.throwIfProblems();
        return bound.orElseThrow(() -> new ConfigException(document.problem("", "cannot be read")));
    }

    /** The record type of a {@code List<X>} component whose X is a record. */
    private static Optional<Class<?>> recordListEntry(Type type) {
        if (type instanceof ParameterizedType list && list.getRawType() instanceof Class<?> raw
                && List.class.isAssignableFrom(raw) && list.getActualTypeArguments()[0] instanceof Class<?> entry
                && entry.isRecord()) {
            return Optional.of(entry);
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "ConfigFileReader[" + file + " -> " + type.getSimpleName() + "]";
    }
}
