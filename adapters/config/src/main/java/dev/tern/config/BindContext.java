package dev.tern.config;

import java.util.List;
import java.util.Map;

/**
 * The state of one binding run: the document, the problems found so far, and the key paths whose values
 * are secrets (from {@code ${ENV}}, secret files and {@code Secret}-typed keys). Not thread-safe; one per
 * binding.
 *
 * <p>Secrets are masked because of where they are, never by searching messages for their text (that turned
 * "is shorter than 16 bytes" into "is ****er than 16 bytes" for the secret {@code short}): a value shows as
 * {@code ****} where it is described ({@link Found}), and a message about a key whose value is a secret has
 * that value masked where the message quotes it.
 */
final class BindContext {

    private final ConfigDocument document;
    private final SectionBinder binder;
    private final List<ConfigProblem> problems;
    private final Map<String, String> sensitive;

    BindContext(ConfigDocument document, SectionBinder binder, List<ConfigProblem> problems,
            Map<String, String> sensitive) {
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
        problems.add(document.problem(path, scrub(message, path, sensitive)));
    }

    /** Remembers that the value at {@code path} is a secret. */
    void markSensitive(String path, String value) {
        if (!value.isEmpty()) {
            sensitive.put(path, value);
        }
    }

    /** Whether a value being described is one of the secrets (shown as {@code ****} then, wherever it is). */
    boolean isSensitive(String value) {
        return sensitive.containsValue(value);
    }

    /** A copy of the secret key paths known so far, with their values. */
    Map<String, String> sensitiveValues() {
        return Map.copyOf(sensitive);
    }

    /**
     * A message about the key at {@code path}: when that key's value is a secret, the value is masked where the
     * message quotes it ({@code 'value'} or {@code "value"}); nothing else in the message changes.
     */
    static String scrub(String message, String path, Map<String, String> sensitive) {
        String value = sensitive.get(path);
        if (value == null) {
            return message;
        }
        return message.replace("'" + value + "'", "'****'").replace("\"" + value + "\"", "\"****\"");
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
