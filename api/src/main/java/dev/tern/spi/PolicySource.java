package dev.tern.spi;

import java.util.List;
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
     * Whether this source's backend answers now, for sources that know (a directory connection): the
     * engine then counts a successful answer as a recovery only while this says {@linkplain
     * SourceHealth#answering() answering}, since an answer from a cache, or a server-wide answer that needs
     * no backend, says nothing about the backend. Empty (the default) lets the engine judge by the answers
     * alone. Must not block or do I/O.
     */
    default Optional<SourceHealth> health() {
        return Optional.empty();
    }

    /**
     * Every answer this source's rules can give (one per rule), for sources whose rules are known in advance
     * (the {@code ldap} source's). While the source cannot answer, {@code on_error: fail_closed} (and
     * {@code last_known} for a subject with nothing known) substitutes forced relaying merged most
     * restrictively with all of these, so an outage never grants what the reachable source would refuse
     * anyone: if a rule can refuse TURN, TURN is refused; each limit is the tightest any rule sets. The
     * default, no answers, makes fail_closed force relaying and leave every other field to the other sources
     * and the defaults.
     */
    default List<PolicyAnswer> possibleAnswers() {
        return List.of();
    }

    /**
     * A problem an administrator should know about while this source still answers, such as a rules file
     * that disappeared (its last rules stay in force); health reports it. Must not block and must not
     * contain a secret. Default: none.
     */
    default Optional<String> problem() {
        return Optional.empty();
    }

    /**
     * The directory of groups this source can look up (the {@code ldap} source's), if it is one. The host
     * unites the directories of all configured sources and hands the union to every source with
     * {@link #useGroupDirectory}. Default: none.
     */
    default Optional<GroupDirectory> groupDirectory() {
        return Optional.empty();
    }

    /**
     * Where this source matches on groups, each as the key path of the condition and the rule's name (like
     * {@code rules.yaml: rules[1].match.groups (rule 'office')}); empty (the default) when it does not. Without
     * a {@link #groupDirectory()} among the configured sources such conditions could never match, so the host
     * refuses to start then, naming these.
     */
    default List<String> groupConditions() {
        return List.of();
    }

    /**
     * Where to look up the groups of a subject from now on: the union of every configured source's
     * {@link #groupDirectory()}. The host calls it once, before the first evaluation, when there is at least
     * one directory; it may come from any thread, so implementations publish it safely to their evaluations.
     * Default: ignored (a source that does not match on groups).
     */
    default void useGroupDirectory(GroupDirectory directory) {
    }

    /** Releases connections, watchers and caches. Idempotent. */
    @Override
    default void close() {
    }
}
