package dev.tern.config;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Describes a value found in config for an error message: {@code 'abc'}, {@code 12}, {@code a list},
 * {@code a mapping}; sensitive strings show as {@code ****}. Stateless.
 */
final class Found {

    private static final int LONGEST_SHOWN = 60;

    private Found() {
    }

    static String describe(JsonNode node, BindContext context) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isNull()) {
            return "an empty value (null)";
        }
        if (node.isObject()) {
            return "a mapping";
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isTextual()) {
            String text = node.textValue();
            if (context.isSensitive(text)) {
                return "'****'";
            }
            return "'" + (text.length() > LONGEST_SHOWN ? text.substring(0, LONGEST_SHOWN) + "..." : text) + "'";
        }
        return node.asText();
    }
}
