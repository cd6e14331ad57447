package dev.tern.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;

/**
 * A value written in a config entry (a scalar, a list or a list's element), and the key of the nearest mapping it
 * can be taken out with, so {@link ConfigFileReader} can bind the rest again and find the next mistake. Holds a
 * mutable tree: used by one read only.
 *
 * @param mapping the mapping holding {@code key}
 * @param key the key whose value holds the written value (for a list's element: the list's key)
 */
record WrittenValue(ObjectNode mapping, String key) {

    /** Adds every value written under {@code mapping} (at {@code path}) to {@code values}, by key path. */
    static void collect(ObjectNode mapping, String path, Map<String, WrittenValue> values) {
        for (Entry<String, JsonNode> field : mapping.properties()) {
            String at = KeyPath.key(path, field.getKey());
            WrittenValue value = new WrittenValue(mapping, field.getKey());
            collect(field.getValue(), at, value, values);
        }
    }

    private static void collect(JsonNode node, String at, WrittenValue value, Map<String, WrittenValue> values) {
        if (node instanceof ObjectNode nested) {
            collect(nested, at, values);
            return;
        }
        values.put(at, value);
        for (int i = 0; i < node.size() && node.isArray(); i++) {
            collect(node.get(i), KeyPath.index(at, i), value, values);
        }
    }

    /** Takes out the values the problems are at; whether any was. */
    static boolean takeOut(List<ConfigProblem> problems, Map<String, WrittenValue> values) {
        boolean any = false;
        for (ConfigProblem problem : problems) {
            WrittenValue value = values.remove(problem.path());
            if (value != null) {
                value.mapping.remove(value.key);
                any = true;
            }
        }
        return any;
    }
}
