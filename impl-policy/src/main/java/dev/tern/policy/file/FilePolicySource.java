package dev.tern.policy.file;

import dev.tern.spi.Subject;
import dev.tern.config.ConfigException;
import dev.tern.config.ConfigFileReader;
import dev.tern.config.ConfigProblem;
import dev.tern.spi.GroupDirectory;
import dev.tern.spi.GroupMembership;
import dev.tern.spi.InvalidSettingException;
import dev.tern.spi.MetricsRecorder;
import dev.tern.spi.PolicyAnswer;
import dev.tern.spi.PolicySource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Policy from a YAML or JSON rule file (see {@link RuleBook}, {@link RuleMatch}, {@link FileRule}).
 *
 * <p>The file is read at construction and then checked every {@code reload} interval on the host's
 * scheduler. It is read with tern-config's {@link ConfigFileReader}, so its mistakes are reported as the
 * main config's are: every one of them, each with the file, its line and key path, an unknown key with
 * the nearest known one. The whole content is compared, not the modification time, so saves within one
 * second and editors that write a new file and rename it over the old one are both seen.
 *
 * <ul>
 *   <li>An empty file (or only comments) means no rules, exactly like {@code rules: []}; a file without
 *       rules is logged as such, at start and on reload.</li>
 *   <li>An edit with mistakes is logged once as a warning listing every problem, and the previous rules
 *       stay in force ({@link #lastError()}).</li>
 *   <li>A file that disappears is logged once as a warning and counted ({@value #FILE_EVENTS} with
 *       {@code event=missing}); the last good rules stay in force until the file is back, and
 *       {@link #problem()} says so (health shows it). Its return is logged and counted
 *       ({@code event=restored}).</li>
 * </ul>
 *
 * <p>Rules that match on {@code groups} ask the {@link GroupDirectory} the engine hands over (an
 * {@code ldap} source); if looking the groups up fails, the evaluation fails and the engine applies
 * this source's {@code on_error}. Without a directory such rules could never match: the engine refuses
 * to start with them ({@link #groupConditions()}).
 *
 * <p>Thread-safe; evaluations never block (the rules are held in memory).
 */
public final class FilePolicySource implements PolicySource {

    /** The counter of file events, tagged {@code file} (the file name) and {@code event} ({@code missing}, {@code restored}, {@code refused}). */
    public static final String FILE_EVENTS = "tern_policy_file_events";

    private static final Logger LOG = LoggerFactory.getLogger(FilePolicySource.class);

    private final ConfigFileReader<RuleBook> reader;
    private final String serverName;
    private final MetricsRecorder metrics;
    private final ScheduledFuture<?> watcher;
    private volatile Loaded loaded;
    private volatile Optional<ConfigException> lastError = Optional.empty();
    private volatile boolean missing;
    private volatile GroupDirectory groups = subject -> CompletableFuture.completedFuture(GroupMembership.NONE);
    private volatile boolean hasDirectory;

    private record Loaded(byte[] content, RuleBook rules) {
    }

    /**
     * Reads the file and, when {@code reload} is positive, starts watching it.
     *
     * @param file the policy file (absolute, or relative to the working directory)
     * @param reload how often to check the file; zero for never
     * @param serverName this server's name, for the server-wide answer
     * @param scheduler runs the checks; owned by the caller
     * @param metrics receives {@value #FILE_EVENTS}; {@link MetricsRecorder#NONE} for none
     * @throws InvalidSettingException ({@code path}) when the file is missing or unreadable
     * @throws ConfigException when the file has mistakes: every one, each naming this file, line and key
     */
    public FilePolicySource(Path file, Duration reload, String serverName, ScheduledExecutorService scheduler,
            MetricsRecorder metrics) {
        this.reader = new ConfigFileReader<>(file, RuleBook.class);
        this.serverName = serverName;
        this.metrics = metrics;
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InvalidSettingException("path", file + " does not exist (expected a rules file)");
        } catch (IOException e) {
            throw new InvalidSettingException("path", "cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
        this.loaded = new Loaded(content, reader.read(content));
        logLoaded("loaded", loaded.rules());
        this.watcher = reload.isZero() ? null
                : scheduler.scheduleWithFixedDelay(this::checkForChange, reload.toNanos(), reload.toNanos(),
                        TimeUnit.NANOSECONDS);
    }

    @Override
    public void useGroupDirectory(GroupDirectory directory) {
        this.groups = directory;
        this.hasDirectory = true;
    }

    @Override
    public List<String> groupConditions() {
        List<FileRule> rules = loaded.rules().rules();
        return groupRules(loaded.rules()).stream().map(i -> reader.file() + ": rules[" + i + "].match.groups (rule '"
                + rules.get(i).name() + "')").toList();
    }

    /** The indices of the rules that match on groups. */
    private static List<Integer> groupRules(RuleBook book) {
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < book.rules().size(); i++) {
            if (book.rules().get(i).match().needsGroups()) {
                indices.add(i);
            }
        }
        return indices;
    }

    @Override
    public CompletionStage<PolicyAnswer> evaluate(Subject subject) {
        RuleBook rules = loaded.rules();
        if (!rules.needsGroups()) {
            return CompletableFuture.completedFuture(rules.evaluate(subject, GroupMembership.NONE));
        }
        return groups.groupsOf(subject).thenApply(membership -> rules.evaluate(subject, membership));
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
    public Optional<ConfigException> lastError() {
        return lastError;
    }

    /**
     * What an administrator should know while the source still answers: the file is gone and the last
     * good rules are in force. Empty while the file is there.
     */
    @Override
    public Optional<String> problem() {
        return missing ? Optional.of(reader.file() + " is missing; the rules last loaded from it stay in force")
                : Optional.empty();
    }

    /** Looks at the file now and loads it if it changed; what the watcher runs. */
    void checkForChange() {
        byte[] content;
        try {
            content = Files.readAllBytes(reader.file());
        } catch (NoSuchFileException e) {
            if (!missing) {
                missing = true;
                count("missing");
                LOG.warn("Policy file {} is missing; the {} rules last loaded from it stay in force until it is back "
                        + "(a restart would refuse to start without it)", reader.file(), loaded.rules().rules().size());
            }
            return;
        } catch (IOException | RuntimeException e) {
            LOG.debug("Policy file {} cannot be read now", reader.file(), e);
            return;
        }
        if (missing) {
            missing = false;
            count("restored");
            LOG.info("Policy file {} is back", reader.file());
        }
        Loaded current = loaded;
        if (Arrays.equals(content, current.content())) {
            return;
        }
        try {
            RuleBook rules = reader.read(content);
            if (!hasDirectory && rules.needsGroups()) {
                List<FileRule> all = rules.rules();
                throw new ConfigException(groupRules(rules).stream().map(i -> new ConfigProblem(
                        reader.file().toString(), "rules[" + i + "].match.groups", 0, "rule '" + all.get(i).name()
                        + "' matches on groups, but no configured source knows groups (an ldap source), so it "
                        + "could never match")).toList());
            }
            loaded = new Loaded(content, rules);
            lastError = Optional.empty();
            logLoaded("reloaded", rules);
        } catch (ConfigException e) {
            loaded = new Loaded(content, current.rules()); // report this content once, keep the good rules
            lastError = Optional.of(e);
            count("refused");
            LOG.warn("Policy file {} change refused, previous rules stay in force ({} problems):\n  - {}",
                    reader.file(), e.problems().size(),
                    e.problems().stream().map(ConfigProblem::toString).collect(Collectors.joining("\n  - ")));
        } catch (RuntimeException e) {
            LOG.warn("Policy file {} change refused, previous rules stay in force", reader.file(), e);
        }
    }

    private void logLoaded(String what, RuleBook rules) {
        if (rules.rules().isEmpty()) {
            LOG.info("Policy file {} {}: no rules (an empty file is the same as rules: []); this source answers "
                    + "nothing", reader.file(), what);
        } else {
            LOG.info("Policy file {} {}: {} rules", reader.file(), what, rules.rules().size());
        }
    }

    private void count(String event) {
        metrics.count(FILE_EVENTS, Map.of("event", event, "file", String.valueOf(reader.file().getFileName())), 1);
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.cancel(false);
        }
    }
}
