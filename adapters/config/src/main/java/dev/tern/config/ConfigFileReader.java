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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * {@code rules:} of a rules file) are bound one by one, and each entry until no new mistake shows: the value a
 * mistake was found at is taken out and the entry bound again, so every unknown key and every wrong value of
 * every entry is reported, each once, at its own line. A problem that only the taking out caused (a required key
 * now missing, a mapping left empty) is not reported, since the key was written. An empty document binds as an
 * empty mapping.
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
                        bindReportingEveryMistake(entries.get(i), entryType.get(), KeyPath.index(key, i), context);
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

    /**
     * Binds {@code entry}; while that finds problems at values written in it, takes those values out of a copy and
     * binds again, keeping only the new problems found at other written values. Ends when a round finds none: each
     * round takes out at least one written value, so there are at most as many rounds as values.
     */
    private void bindReportingEveryMistake(JsonNode entry, Class<?> type, String path, BindContext context) {
        int mark = context.problems().size();
        binder.bind(entry, type, path, context);
        if (!(entry instanceof ObjectNode written)) {
            return;
        }
        ObjectNode remaining = written.deepCopy();
        Map<String, WrittenValue> values = new HashMap<>();
        WrittenValue.collect(remaining, path, values);
        List<ConfigProblem> found = List.copyOf(context.problems().subList(mark, context.problems().size()));
        while (WrittenValue.takeOut(found, values)) {
            mark = context.problems().size();
            binder.bind(remaining, type, path, context);
            List<ConfigProblem> round = context.problems().subList(mark, context.problems().size());
            found = round.stream().filter(p -> values.containsKey(p.path())).toList();
            round.clear();
            context.problems().addAll(found);
        }
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
