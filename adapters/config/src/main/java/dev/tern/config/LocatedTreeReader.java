package dev.tern.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads YAML or JSON text into a tree and remembers the line of every key, so errors found later,
 * while binding the tree, can still name the line. Duplicate keys are problems. Not thread-safe: one
 * reader per document.
 */
final class LocatedTreeReader {

    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final YAMLFactory YAML = YAMLFactory.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String origin;
    private final Map<String, Integer> lines = new HashMap<>();
    private final List<ConfigProblem> problems;

    LocatedTreeReader(String origin, List<ConfigProblem> problems) {
        this.origin = origin;
        this.problems = problems;
    }

    /**
     * Reads the document; syntax errors end reading and are thrown, since nothing after them can be
     * trusted.
     *
     * @param json whether the text is JSON (otherwise YAML, which also reads most JSON)
     * @return the root, or a missing node for an empty document
     * @throws ConfigException on a syntax error, with its line
     */
    JsonNode read(String text, boolean json) {
        try (JsonParser parser = (json ? JSON : YAML).createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return NODES.missingNode();
            }
            return value(parser, "");
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getLineNr());
            // Only the first line: YAML parsers quote the offending source line after it, and that line
            // may hold a secret.
            String message = e.getOriginalMessage() == null ? "unreadable" : e.getOriginalMessage().lines()
                    .findFirst().orElse("unreadable");
            throw new ConfigException(new ConfigProblem(origin, "", line, "not valid " + (json ? "JSON" : "YAML")
                    + ": " + message));
        } catch (IOException e) {
            throw new ConfigException(new ConfigProblem(origin, "", 0, "cannot be read: " + e.getMessage()));
        }
    }

    /** The line of each key path read, 1-based. */
    Map<String, Integer> lines() {
        return lines;
    }

    private JsonNode value(JsonParser parser, String path) throws IOException {
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT:
                return object(parser, path);
            case START_ARRAY:
                ArrayNode array = NODES.arrayNode();
                int index = 0;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    String element = KeyPath.index(path, index++);
                    lines.put(element, parser.currentTokenLocation().getLineNr());
                    array.add(value(parser, element));
                }
                return array;
            case VALUE_STRING:
                return NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT:
                return switch (parser.getNumberType()) {
                    case INT -> NODES.numberNode(parser.getIntValue());
                    case LONG -> NODES.numberNode(parser.getLongValue());
                    default -> NODES.numberNode(parser.getBigIntegerValue());
                };
            case VALUE_NUMBER_FLOAT:
                return NODES.numberNode(parser.getDecimalValue());
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                return NODES.textNode(parser.getText());
        }
    }

    private ObjectNode object(JsonParser parser, String path) throws IOException {
        ObjectNode object = NODES.objectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            String child = KeyPath.key(path, name);
            int line = parser.currentTokenLocation().getLineNr();
            parser.nextToken();
            JsonNode value = value(parser, child);
            if (object.has(name)) {
                problems.add(new ConfigProblem(origin, child, line, "duplicate key (first set on line "
                        + lines.getOrDefault(child, 0) + "); keep one"));
                continue;
            }
            lines.put(child, line);
            object.set(name, value);
        }
        return object;
    }
}
