package dev.tern.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Replaces {@code ${NAME}} in every string value with the environment variable {@code NAME}
 * (<code>$${</code> writes a literal <code>${</code>). An unset variable is a problem naming the key and the
 * variable. Every key path whose value came out of an expansion is remembered as sensitive, so no error ever
 * repeats it. Not thread-safe: one instance per document.
 */
final class EnvExpansion {

    private final String origin;
    private final Function<String, String> environment;
    private final Map<String, Integer> lines;
    private final List<ConfigProblem> problems;
    private final Map<String, String> sensitive;
    private final Set<String> unexpanded = new java.util.HashSet<>();
    private final Map<String, String> written = new java.util.HashMap<>();

    EnvExpansion(String origin, Function<String, String> environment, Map<String, Integer> lines,
            List<ConfigProblem> problems, Map<String, String> sensitive) {
        this.origin = origin;
        this.environment = environment;
        this.lines = lines;
        this.problems = problems;
        this.sensitive = sensitive;
    }

    /** The paths whose value could not be expanded. */
    Set<String> unexpanded() {
        return unexpanded;
    }

    /** The paths whose value came out of an expansion, with the text as written ({@code ${TURN_SECRET}}). */
    Map<String, String> written() {
        return written;
    }

    /** Expands in place, under {@code node}. */
    void expand(JsonNode node, String path) {
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                String child = KeyPath.key(path, field.getKey());
                if (field.getValue().isTextual()) {
                    field.setValue(expanded(field.getValue().textValue(), child));
                } else {
                    expand(field.getValue(), child);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                String child = KeyPath.index(path, i);
                if (array.get(i).isTextual()) {
                    array.set(i, expanded(array.get(i).textValue(), child));
                } else {
                    expand(array.get(i), child);
                }
            }
        }
    }

    private JsonNode expanded(String text, String path) {
        if (!text.contains("${")) {
            return TextNode.valueOf(text);
        }
        StringBuilder out = new StringBuilder();
        int at = 0;
        boolean substituted = false;
        while (at < text.length()) {
            int start = text.indexOf("${", at);
            if (start < 0) {
                out.append(text, at, text.length());
                break;
            }
            if (start > 0 && text.charAt(start - 1) == '$') {
                out.append(text, at, start - 1).append("${");
                at = start + 2;
                continue;
            }
            int end = text.indexOf('}', start + 2);
            if (end < 0) {
                problem(path, "'${' is not closed; write ${NAME} for an environment variable, or $${ for a literal ${");
                return TextNode.valueOf(text);
            }
            String name = text.substring(start + 2, end);
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                problem(path, "'${" + name + "}' is not an environment variable name (letters, digits and _)");
                return TextNode.valueOf(text);
            }
            String value = environment.apply(name);
            if (value == null) {
                problem(path, "environment variable " + name + " is not set");
                return TextNode.valueOf(text);
            }
            out.append(text, at, start).append(value);
            substituted = true;
            at = end + 1;
        }
        String result = out.toString();
        if (substituted && !result.isEmpty()) {
            sensitive.put(path, result);
            written.put(path, text);
        }
        return TextNode.valueOf(result);
    }

    private void problem(String path, String message) {
        unexpanded.add(path);
        problems.add(new ConfigProblem(origin, path, lines.getOrDefault(path, 0), message));
    }
}
