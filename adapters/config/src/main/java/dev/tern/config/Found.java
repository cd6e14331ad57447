package dev.tern.config;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Describes a value found in config for an error message: {@code 'abc'}, {@code 12}, {@code a list},
 * {@code a mapping}; sensitive strings show as {@code ****}. Stateless.
 */
final class Found {

    private static final int LONGEST_SHOWN = 60;
    private static final java.util.regex.Pattern SECRET_LOOKING =
            java.util.regex.Pattern.compile("(?i).*(secret|password|passwd|token|private|key)s?$");

    private Found() {
    }

    /**
     * Whether the last key of a path names something secret ({@code bind_password}, {@code api_token},
     * {@code secrets[0]}), so its value is masked even when its type is a plain string.
     */
    static boolean looksSecret(String path) {
        String key = path;
        int bracket = key.lastIndexOf('[');
        while (bracket >= 0 && key.endsWith("]") && bracket == key.lastIndexOf('[')
                && key.substring(bracket + 1, key.length() - 1).chars().allMatch(Character::isDigit)) {
            key = key.substring(0, bracket);
            bracket = key.lastIndexOf('[');
        }
        key = key.substring(key.lastIndexOf('.') + 1);
        return SECRET_LOOKING.matcher(key).matches();
    }

    /** Like {@link #describe(JsonNode, BindContext)}, masking any scalar at a secret-looking key. */
    static String describe(JsonNode node, BindContext context, String path) {
        if (node != null && node.isValueNode() && !node.isNull() && looksSecret(path)) {
            return "'****'";
        }
        return describe(node, context);
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
