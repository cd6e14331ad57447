package dev.tern.policy.ldap;

import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import dev.tern.spi.SourceHealth;
import dev.tern.spi.Subject;
import dev.tern.policy.AnswerCache;
import dev.tern.policy.FirstMatchAnswer;
import dev.tern.spi.GroupDirectory;
import dev.tern.spi.GroupMembership;
import dev.tern.spi.InvalidSettingException;
import dev.tern.spi.PolicyAnswer;
import dev.tern.spi.PolicySource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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
 *
 * <p>{@link #health()} follows the directory, not the answers: every search (a lookup, a background
 * refresh, the start-up check) sets it, and while it is failing the source asks the directory for its root
 * entry every {@value #PROBE_SECONDS} seconds, so the state comes back when the directory does, with or
 * without traffic. Answers from the cache while the directory is down, and the server-wide answer, leave it
 * failing. {@link #possibleAnswers()} is every rule's {@code set}, so {@code on_error: fail_closed} refuses
 * whatever some rule refuses.
 */
public final class LdapPolicySource implements PolicySource, GroupDirectory {

    /** How often a failing directory is asked whether it is back. */
    static final long PROBE_SECONDS = 5;

    private static final Logger LOG = LoggerFactory.getLogger(LdapPolicySource.class);

    private final LdapSourceConfig config;
    private final LDAPConnectionPool pool;
    private final ScheduledExecutorService executor;
    private final AtomicReference<SourceHealth> health = new AtomicReference<>(SourceHealth.ANSWERING);
    private final AtomicBoolean probing = new AtomicBoolean();
    private final AnswerCache<String, LdapUser> cache;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Creates the source; does not need the directory to be up.
     *
     * @param config the bound config
     * @param clock the time source for the cache
     */
    public LdapPolicySource(LdapSourceConfig config, Clock clock) {
        if (config.serverNames().isEmpty()) {
            throw new InvalidSettingException("server_names", "is empty (expected the Matrix server names whose users "
                    + "the directory holds; the provider fills in the homeserver's own, see LdapSourceConfig.resolve)");
        }
        this.config = config;
        this.pool = LdapPoolBuilder.open(config);
        LdapUserLookup lookup;
        try {
            lookup = new LdapUserLookup(config, pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        this.executor = Executors.newScheduledThreadPool(config.poolSize(), daemonThreads());
        LdapUserLookup users = lookup;
        this.cache = new AnswerCache<>(userId -> CompletableFuture.supplyAsync(() -> {
            try {
                LdapUser user = users.lookup(Subject.user(userId));
                directoryAnswered();
                return user;
            } catch (LDAPException e) {
                directoryFailed(e);
                throw new LdapUnavailableException(e);
            }
        }, executor), user -> user.found() ? config.cacheTtl() : config.negativeCacheTtl(), config.refreshAfter(),
                config.cacheSize(), clock, executor);
        executor.execute(this::checkReachable);
    }

    /** Says at startup, in the log, whether the directory can be reached and bound to. */
    private void checkReachable() {
        try {
            pool.getRootDSE();
            directoryAnswered();
            LOG.info("LDAP policy source connected to {}", config.url());
        } catch (LDAPException e) {
            directoryFailed(e);
            LOG.warn("LDAP policy source cannot reach {} yet ({}); lookups fail until it can", config.url(),
                    e.getResultCode());
        }
    }

    private void directoryAnswered() {
        health.set(SourceHealth.ANSWERING);
    }

    /** Marks the directory failing and, unless already, asks it every few seconds whether it is back. */
    private void directoryFailed(LDAPException e) {
        health.set(SourceHealth.failing("LDAP " + e.getResultCode()));
        if (!closed.get() && probing.compareAndSet(false, true)) {
            scheduleProbe();
        }
    }

    private void scheduleProbe() {
        try {
            executor.schedule(this::probe, PROBE_SECONDS, TimeUnit.SECONDS);
        } catch (RejectedExecutionException closing) {
            probing.set(false);
        }
    }

    private void probe() {
        try {
            pool.getRootDSE();
            directoryAnswered();
            probing.set(false);
            LOG.debug("LDAP directory {} answers again", config.url());
        } catch (LDAPException e) {
            health.set(SourceHealth.failing("LDAP " + e.getResultCode()));
            if (!closed.get()) {
                scheduleProbe();
            }
        }
    }

    @Override
    public Optional<SourceHealth> health() {
        return Optional.of(health.get());
    }

    @Override
    public List<PolicyAnswer> possibleAnswers() {
        return config.rules().stream().map(rule -> PolicyAnswer.byRule(rule.name(), rule.set().toPolicy())).toList();
    }

    @Override
    public CompletionStage<PolicyAnswer> evaluate(Subject subject) {
        return user(subject).thenApply(this::answer);
    }

    /** The user as the directory knows them; a user of another server is unknown without a search. */
    private CompletableFuture<LdapUser> user(Subject subject) {
        return config.servesUsersOf(subject.serverName()) ? cache.get(subject.userId())
                : CompletableFuture.completedFuture(LdapUser.NOT_FOUND);
    }

    @Override
    public CompletionStage<PolicyAnswer> evaluateServerWide() {
        return CompletableFuture.completedFuture(PolicyAnswer.NONE);
    }

    @Override
    public Optional<GroupDirectory> groupDirectory() {
        return Optional.of(this);
    }

    @Override
    public CompletionStage<GroupMembership> groupsOf(Subject subject) {
        return user(subject).thenApply(LdapUser::groups);
    }

    /**
     * How long the cached entry for this user has left, once its lookup has completed and Caffeine
     * has recorded it (tests wait for this before moving their clock).
     */
    Optional<Duration> cachedFor(String userId) {
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
