package dev.tern.policy.file;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A policy file that cannot be used, with where the problem is: the file, the line (when known) and
 * the key path inside the file ({@code rules[1].match.networks[0]}).
 *
 * <p>Immutable. The message never quotes more of the file than the offending value.
 */
public final class PolicyFileException extends Exception {

    private final Path file;
    private final int line;
    private final String key;
    private final String problem;

    /**
     * @param file the policy file
     * @param line the 1-based line, or 0 when not known
     * @param key the key path, or empty for the whole document
     * @param problem what is wrong and what was expected
     */
    public PolicyFileException(Path file, int line, String key, String problem, Throwable cause) {
        super(format(file, line, key, problem), cause);
        this.file = Objects.requireNonNull(file, "file");
        this.line = line;
        this.key = Objects.requireNonNull(key, "key");
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    private static String format(Path file, int line, String key, String problem) {
        return file + (line > 0 ? " line " + line : "") + (key.isEmpty() ? "" : ", key " + key) + ": " + problem;
    }

    /** The policy file. */
    public Path file() {
        return file;
    }

    /** The 1-based line of the problem, or 0 when not known. */
    public int line() {
        return line;
    }

    /** The key path of the problem, like {@code rules[1].match.networks[0]}; empty for the whole file. */
    public String key() {
        return key;
    }

    /** What is wrong. */
    public String problem() {
        return problem;
    }
}
