package dev.tern.policy.file;

import dev.tern.api.Subject;
import dev.tern.policy.GroupAware;
import dev.tern.policy.GroupDirectory;
import dev.tern.policy.GroupMembership;
import dev.tern.spi.InvalidSettingException;
import dev.tern.spi.PolicyAnswer;
import dev.tern.spi.PolicySource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Policy from a YAML or JSON rule file (see {@link RuleBook}, {@link RuleMatch}, {@link FileRule}).
 *
 * <p>The file is read at construction (a missing or invalid file is an {@link InvalidSettingException}
 * on {@code path}) and then checked every {@code reload} interval on the host's scheduler. The whole
 * content is compared, not the modification time, so saves within one second and editors that
 * write a new file and rename it over the old one are both seen. An edit that cannot be parsed is
 * logged once as a warning naming the file, line and key, and the previous rules stay in force; a
 * file that disappears keeps the previous rules too.
 *
 * <p>Rules that match on {@code groups} ask the {@link GroupDirectory} the engine hands over (an
 * {@code ldap} source); if looking the groups up fails, the evaluation fails and the engine applies
 * this source's {@code on_error}. Without a directory, group conditions never match (logged once).
 *
 * <p>Thread-safe; evaluations never block (the rules are held in memory).
 */
public final class FilePolicySource implements PolicySource, GroupAware {

    private static final Logger LOG = LoggerFactory.getLogger(FilePolicySource.class);

    private final PolicyFileReader reader;
    private final String serverName;
    private final ScheduledFuture<?> watcher;
    private final AtomicBoolean warnedNoDirectory = new AtomicBoolean();
    private volatile Loaded loaded;
    private volatile Optional<PolicyFileException> lastError = Optional.empty();
    private volatile GroupDirectory groups;

    private record Loaded(byte[] content, RuleBook rules) {
    }

    /**
     * Reads the file and, when {@code reload} is positive, starts watching it.
     *
     * @param file the policy file (absolute, or relative to the working directory)
     * @param reload how often to check the file; zero for never
     * @param serverName this server's name, for the server-wide answer
     * @param scheduler runs the checks; owned by the caller
     * @throws InvalidSettingException ({@code path}) when the file is missing or invalid
     */
    public FilePolicySource(Path file, Duration reload, String serverName, ScheduledExecutorService scheduler) {
        this.reader = new PolicyFileReader(file);
        this.serverName = serverName;
        try {
            byte[] content = Files.readAllBytes(file);
            this.loaded = new Loaded(content, reader.read(content));
        } catch (IOException e) {
            throw new InvalidSettingException("path", "cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        } catch (PolicyFileException e) {
            throw new InvalidSettingException("path", e.getMessage());
        }
        LOG.info("Policy file {} loaded: {} rules", file, loaded.rules().rules().size());
        this.watcher = reload.isZero() ? null
                : scheduler.scheduleWithFixedDelay(this::checkForChange, reload.toNanos(), reload.toNanos(),
                        TimeUnit.NANOSECONDS);
    }

    @Override
    public void useGroupDirectory(GroupDirectory directory) {
        this.groups = directory;
    }

    @Override
    public CompletionStage<PolicyAnswer> evaluate(Subject subject) {
        RuleBook rules = loaded.rules();
        if (!rules.needsGroups()) {
            return CompletableFuture.completedFuture(rules.evaluate(subject, GroupMembership.NONE));
        }
        GroupDirectory directory = groups;
        if (directory == null) {
            if (warnedNoDirectory.compareAndSet(false, true)) {
                LOG.warn("Policy file {} has rules matching on groups, but no group directory (ldap source) is "
                        + "configured: those conditions never match", reader.file());
            }
            return CompletableFuture.completedFuture(rules.evaluate(subject, GroupMembership.NONE));
        }
        return directory.groupsOf(subject).thenApply(membership -> rules.evaluate(subject, membership));
    }

    @Override
    public CompletionStage<PolicyAnswer> evaluateServerWide() {
        return CompletableFuture.completedFuture(loaded.rules().evaluateServerWide(serverName));
    }

    /** The rules in force now. */
    public RuleBook rules() {
        return loaded.rules();
    }

    /** Why the latest change to the file was refused, if it was; cleared by the next good load. */
    public Optional<PolicyFileException> lastError() {
        return lastError;
    }

    /** Looks at the file now and loads it if it changed; what the watcher runs. */
    void checkForChange() {
        byte[] content;
        try {
            content = Files.readAllBytes(reader.file());
        } catch (NoSuchFileException e) {
            return; // being replaced by an editor, or deleted: keep the rules we have
        } catch (IOException | RuntimeException e) {
            LOG.debug("Policy file {} cannot be read now", reader.file(), e);
            return;
        }
        Loaded current = loaded;
        if (Arrays.equals(content, current.content())) {
            return;
        }
        try {
            RuleBook rules = reader.read(content);
            loaded = new Loaded(content, rules);
            lastError = Optional.empty();
            LOG.info("Policy file {} reloaded: {} rules", reader.file(), rules.rules().size());
        } catch (PolicyFileException e) {
            loaded = new Loaded(content, current.rules()); // report this content once, keep the good rules
            lastError = Optional.of(e);
            LOG.warn("Policy file change refused, previous rules stay in force: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("Policy file {} change refused, previous rules stay in force", reader.file(), e);
        }
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.cancel(false);
        }
    }
}
