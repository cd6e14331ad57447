package dev.tern.config;

import java.util.List;
import java.util.Set;

/**
 * The state of one binding run: the document, the problems found so far, and the sensitive values
 * known so far (from {@code ${ENV}}, secret files and {@code Secret}-typed keys). Not thread-safe;
 * one per binding.
 */
final class BindContext {

    /** Values shorter than this are not scrubbed from messages: they would mangle ordinary words. */
    private static final int SHORTEST_SCRUBBED = 4;

    private final ConfigDocument document;
    private final SectionBinder binder;
    private final List<ConfigProblem> problems;
    private final Set<String> sensitive;

    BindContext(ConfigDocument document, SectionBinder binder, List<ConfigProblem> problems, Set<String> sensitive) {
        this.document = document;
        this.binder = binder;
        this.problems = problems;
        this.sensitive = sensitive;
    }

    ConfigDocument document() {
        return document;
    }

    SectionBinder binder() {
        return binder;
    }

    List<ConfigProblem> problems() {
        return problems;
    }

    void addProblem(String path, String message) {
        problems.add(document.problem(path, scrub(message)));
    }

    void markSensitive(String value) {
        if (!value.isEmpty()) {
            sensitive.add(value);
        }
    }

    boolean isSensitive(String value) {
        return sensitive.contains(value);
    }

    /** The message with every known sensitive value replaced by {@code ****}. */
    String scrub(String message) {
        return scrub(message, sensitive);
    }

    /** A copy of the sensitive values known so far. */
    Set<String> sensitiveValues() {
        return Set.copyOf(sensitive);
    }

    /** The message with every value of {@code sensitive} replaced by {@code ****}. */
    static String scrub(String message, Set<String> sensitive) {
        String result = message;
        for (String value : sensitive) {
            if (value.length() >= SHORTEST_SCRUBBED && result.contains(value)) {
                result = result.replace(value, "****");
            }
        }
        return result;
    }

    /** Throws the collected problems, if any, in file order. */
    void throwIfProblems() {
        if (!problems.isEmpty()) {
            List<ConfigProblem> sorted = new java.util.ArrayList<>(problems);
            sorted.sort(java.util.Comparator.comparingInt(ConfigProblem::line));
            throw new ConfigException(sorted);
        }
    }
}
