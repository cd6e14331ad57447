package dev.tern.config;

import java.util.Objects;

/**
 * One mistake in a config file: where it is and what is wrong.
 *
 * <p>Immutable and thread-safe. The message never contains a secret: values of {@code Secret} keys,
 * of secret files and of {@code ${ENV}} expansions are shown as {@code ****}.
 *
 * @param origin the file (or the name given to in-memory config text)
 * @param path the key path, like {@code policy.sources[1].url}; empty for the whole document
 * @param line the 1-based line of the key in the file, or 0 when not known
 * @param message what was found and what was expected
 */
public record ConfigProblem(String origin, String path, int line, String message) {

    public ConfigProblem {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
        if (line < 0) {
            throw new IllegalArgumentException("line must not be negative");
        }
    }

    /** {@code tern.yaml, line 4: credentials.secret: unknown key (did you mean 'secrets'?)}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(origin);
        if (line > 0) {
            text.append(", line ").append(line);
        }
        text.append(": ");
        if (!path.isEmpty()) {
            text.append(path).append(": ");
        }
        return text.append(message).toString();
    }
}
