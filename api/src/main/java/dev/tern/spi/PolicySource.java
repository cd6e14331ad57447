package dev.tern.spi;

import dev.tern.api.Subject;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * One place policy comes from: a file, a directory, a well-known document, a plugin.
 *
 * <p>Implementations must be thread-safe and must not block the caller: a source that does I/O
 * returns a stage completed elsewhere. A failed stage means "cannot answer now"; the engine then
 * applies the source's {@code on_error} and {@code timeout} settings, so sources need not.
 */
public interface PolicySource extends AutoCloseable {

    /** What this source says about one subject. */
    CompletionStage<PolicyAnswer> evaluate(Subject subject);

    /**
     * What this source says about anyone on the server: only the rules that apply to every user.
     * This feeds the well-known {@code im.vector.riot.forceTurn} flag.
     */
    CompletionStage<PolicyAnswer> evaluateServerWide();

    /**
     * A problem an administrator should know about while this source still answers, such as a rules file
     * that disappeared (its last rules stay in force); health reports it. Must not block and must not
     * contain a secret. Default: none.
     */
    default Optional<String> problem() {
        return Optional.empty();
    }

    /** Releases connections, watchers and caches. Idempotent. */
    @Override
    default void close() {
    }
}
