package dev.tern.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A config file read into a tree, with {@code ${ENV}} expanded, the line of every key, and the values
 * that must never appear in a message. Immutable once read (the tree is never changed after
 * {@link #read}; binding works on copies), so thread-safe.
 */
final class ConfigDocument {

    private final String origin;
    private final Path configDirectory;
    private final JsonNode root;
    private final Map<String, Integer> lines;
    private final Map<String, String> sensitive;
    private final Set<String> unexpanded;
    private final Map<String, String> written;

    /**
     * What {@code ${ENV}} expansion left: the secret values by key path, the paths it could not expand, and the
     * reference written at each expanded path.
     */
    private record Expanded(Map<String, String> sensitive, Set<String> unexpanded, Map<String, String> written) {
    }

    private ConfigDocument(String origin, Path configDirectory, JsonNode root, Map<String, Integer> lines,
            Expanded expanded) {
        this.unexpanded = Set.copyOf(expanded.unexpanded());
        this.written = Map.copyOf(expanded.written());
        this.origin = origin;
        this.configDirectory = configDirectory;
        this.root = root;
        this.lines = Map.copyOf(lines);
        this.sensitive = Map.copyOf(expanded.sensitive());
    }

    /**
     * Reads the text; syntax errors are thrown at once, other problems (duplicate keys, unset
     * variables) are added to {@code problems}.
     *
     * @param environment where {@code ${NAME}} values come from, or null to leave {@code ${...}} as written
     */
    static ConfigDocument read(String text, boolean json, String origin, Path configDirectory,
            Function<String, String> environment, List<ConfigProblem> problems) {
        Objects.requireNonNull(text, "text");
        LocatedTreeReader reader = new LocatedTreeReader(origin, problems);
        JsonNode root = reader.read(text, json);
        Map<String, String> sensitive = new HashMap<>();
        if (environment == null) {
            return new ConfigDocument(origin, configDirectory, root, reader.lines(),
                    new Expanded(sensitive, Set.of(), Map.of()));
        }
        EnvExpansion expansion = new EnvExpansion(origin, environment, reader.lines(), problems, sensitive);
        expansion.expand(root, "");
        return new ConfigDocument(origin, configDirectory, root, reader.lines(),
                new Expanded(sensitive, expansion.unexpanded(), expansion.written()));
    }

    String origin() {
        return origin;
    }

    Path configDirectory() {
        return configDirectory;
    }

    JsonNode root() {
        return root;
    }

    /** The key paths whose values are secrets (from {@code ${ENV}}), with the values. */
    Map<String, String> sensitive() {
        return sensitive;
    }

    /**
     * The text written at {@code path} when its value came out of {@code ${ENV}} ({@code ${TURN_SECRET}}), which
     * {@code check-config} prints in place of the value: the reference, unlike the value, is safe to show and loads
     * again.
     */
    Optional<String> writtenReference(String path) {
        return Optional.ofNullable(written.get(path));
    }

    /**
     * Whether a value at or under {@code path} has a {@code ${...}} that could not be expanded: that part
     * is not bound, since its problem is already reported and the raw text would only cause a second,
     * misleading one.
     */
    boolean unexpandedUnder(String path) {
        for (String failed : unexpanded) {
            if (path.isEmpty() || failed.equals(path) || failed.startsWith(path + ".") || failed.startsWith(path + "[")) {
                return true;
            }
        }
        return false;
    }

    /** The line of a key path, or of its nearest parent that has one; 0 when unknown. */
    int lineOf(String path) {
        String at = path;
        while (true) {
            Integer line = lines.get(at);
            if (line != null) {
                return line;
            }
            if (at.isEmpty()) {
                return 0;
            }
            at = KeyPath.parent(at);
        }
    }

    /** A problem at a key path, with its line. */
    ConfigProblem problem(String path, String message) {
        return new ConfigProblem(origin, path, lineOf(path), message);
    }

    /** A fresh context for one binding, collecting into its own problem list. */
    BindContext newContext(SectionBinder binder) {
        return new BindContext(this, binder, new ArrayList<>(), new HashMap<>(sensitive));
    }
}
