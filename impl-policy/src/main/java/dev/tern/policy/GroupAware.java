package dev.tern.policy;

/**
 * A policy source that can match on group membership once it is given a {@link GroupDirectory}.
 * The {@link PolicyEngine} calls {@link #useGroupDirectory} once, at construction, when at least one
 * configured source is a directory.
 *
 * <p>Implementations must accept the call from any thread and publish it safely to their
 * evaluations.
 */
public interface GroupAware {

    /** Where to look up the groups of a subject from now on. */
    void useGroupDirectory(GroupDirectory directory);

    /**
     * Where this source matches on groups now, each as the key path of the condition and the rule's name
     * (like {@code rules.yaml: rules[1].match.groups (rule 'office')}); empty when it does not. Without a
     * directory such conditions could never match, so the {@link PolicyEngine} refuses to start then.
     */
    java.util.List<String> groupConditions();
}
