package dev.tern.policy.ldap;

import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import dev.tern.api.Subject;
import dev.tern.policy.AnswerCache;
import dev.tern.policy.FirstMatchAnswer;
import dev.tern.policy.GroupDirectory;
import dev.tern.policy.GroupMembership;
import dev.tern.spi.PolicyAnswer;
import dev.tern.spi.PolicySource;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Policy from an LDAP directory: the user's groups and attributes, mapped to policy fields by the
 * configured {@link LdapRule}s (first matching rule per field). Also a {@link GroupDirectory}, so the
 * {@code file} source can match on the groups found here.
 *
 * <p>Lookups are cached with Caffeine: a found user for {@code cache_ttl}, an unknown one for
 * {@code negative_cache_ttl}; once an entry is {@code refresh_after} old, the next read returns it at
 * once and refreshes it in the background, so a slow directory does not slow requests for known
 * users. Failed lookups are not cached. The blocking LDAP calls run on this source's own small
 * thread pool (daemon threads named {@code tern-ldap-N}), never on the caller's thread.
 *
 * <p>Thread-safe. A directory that cannot answer fails the stage (the engine then applies
 * {@code on_error}). The server-wide answer is always empty: directory rules are about users.
 * {@link #close()} stops the threads and closes the pool; it is idempotent.
 */
public final class LdapPolicySource implements PolicySource, GroupDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(LdapPolicySource.class);

    private final LdapSourceConfig config;
    private final LDAPConnectionPool pool;
    private final ExecutorService executor;
    private final AnswerCache<String, LdapUser> cache;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Creates the source; does not need the directory to be up.
     *
     * @param config the bound config
     * @param clock the time source for the cache
     */
    public LdapPolicySource(LdapSourceConfig config, Clock clock) {
        this.config = config;
        this.pool = LdapPoolBuilder.open(config);
        LdapUserLookup lookup;
        try {
            lookup = new LdapUserLookup(config, pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        this.executor = Executors.newFixedThreadPool(config.poolSize(), daemonThreads());
        LdapUserLookup users = lookup;
        this.cache = new AnswerCache<>(userId -> CompletableFuture.supplyAsync(() -> {
            try {
                return users.lookup(Subject.user(userId));
            } catch (LDAPException e) {
                throw new LdapUnavailableException(e);
            }
        }, executor), user -> user.found() ? config.cacheTtl() : config.negativeCacheTtl(), config.refreshAfter(),
                config.cacheSize(), clock, executor);
        executor.execute(this::checkReachable);
    }

    /** Says at startup, in the log, whether the directory can be reached and bound to. */
    private void checkReachable() {
        try {
            pool.releaseConnection(pool.getConnection());
            LOG.info("LDAP policy source connected to {}", config.url());
        } catch (LDAPException e) {
            LOG.warn("LDAP policy source cannot reach {} yet ({}); lookups fail until it can", config.url(),
                    e.getResultCode());
        }
    }

    @Override
    public CompletionStage<PolicyAnswer> evaluate(Subject subject) {
        return cache.get(subject.userId()).thenApply(this::answer);
    }

    @Override
    public CompletionStage<PolicyAnswer> evaluateServerWide() {
        return CompletableFuture.completedFuture(PolicyAnswer.NONE);
    }

    @Override
    public CompletionStage<GroupMembership> groupsOf(Subject subject) {
        return cache.get(subject.userId()).thenApply(LdapUser::groups);
    }

    /**
     * How long the cached entry for this user has left, once its lookup has completed and Caffeine
     * has recorded it (tests wait for this before moving their clock).
     */
    java.util.Optional<Duration> cachedFor(String userId) {
        return cache.cachedFor(userId);
    }

    private PolicyAnswer answer(LdapUser user) {
        if (!user.found()) {
            return PolicyAnswer.NONE;
        }
        FirstMatchAnswer answer = new FirstMatchAnswer();
        for (LdapRule rule : config.rules()) {
            if (rule.matches(user)) {
                answer.add(rule.name(), rule.set().toPolicy());
            }
        }
        return answer.build();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            executor.shutdownNow();
            pool.close();
            cache.clear();
            LOG.debug("LDAP policy source for {} closed", config.url());
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "tern-ldap-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The directory could not answer; the message is the LDAP result, never a credential. */
    static final class LdapUnavailableException extends RuntimeException {
        LdapUnavailableException(LDAPException cause) {
            super("LDAP " + cause.getResultCode() + (cause.getDiagnosticMessage() == null ? ""
                    : ": " + cause.getDiagnosticMessage()), cause);
        }
    }
}
