package dev.tern.spi;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Knows which groups a user belongs to, so that a source which only matches on groups (the
 * {@code file} source's {@code groups:} condition) can use what another source (the {@code ldap}
 * source) looked up. A {@link PolicySource} offers one through {@link PolicySource#groupDirectory()}; the
 * host unites all that are offered and hands the union to every source through
 * {@link PolicySource#useGroupDirectory}.
 *
 * <p>Implementations are thread-safe and never block the caller; a failed stage means the groups
 * cannot be known now.
 */
public interface GroupDirectory {

    /** The groups the subject belongs to (an empty membership for an unknown user). */
    CompletionStage<GroupMembership> groupsOf(Subject subject);

    /** A directory that asks all the given ones and unites their answers; fails if any fails. */
    static GroupDirectory union(List<GroupDirectory> directories) {
        List<GroupDirectory> copy = List.copyOf(directories);
        if (copy.size() == 1) {
            return copy.get(0);
        }
        return subject -> {
            List<CompletableFuture<GroupMembership>> pending = copy.stream()
                    .map(directory -> directory.groupsOf(subject).toCompletableFuture()).toList();
            return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                    .thenApply(done -> pending.stream().map(CompletableFuture::join)
                            .reduce(GroupMembership.NONE, GroupMembership::union));
        };
    }
}
