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
}
