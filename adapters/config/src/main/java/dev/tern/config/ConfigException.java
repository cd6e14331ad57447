package dev.tern.config;

import java.util.List;

/**
 * The config cannot be used: one or more {@link ConfigProblem}s, each naming the file, the key path, the
 * line when known, what was found and what was expected. This is a user's mistake, so hosts print
 * {@link #getMessage()} and no stack trace.
 *
 * <p>Immutable. The message never contains a secret value.
 */
public final class ConfigException extends RuntimeException {

    private final List<ConfigProblem> problems;

    /** @param problems at least one problem */
    public ConfigException(List<ConfigProblem> problems) {
        super(describe(problems), null, false, false);
        this.problems = List.copyOf(problems);
    }

    /** A single problem. */
    public ConfigException(ConfigProblem problem) {
        this(List.of(problem));
    }

    /** The problems, in the order they were found. */
    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String describe(List<ConfigProblem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        if (problems.size() == 1) {
            return "Invalid configuration: " + problems.get(0);
        }
        StringBuilder text = new StringBuilder("Invalid configuration (").append(problems.size()).append(" problems):");
        for (ConfigProblem problem : problems) {
            text.append("\n  - ").append(problem);
        }
        return text.toString();
    }
}
