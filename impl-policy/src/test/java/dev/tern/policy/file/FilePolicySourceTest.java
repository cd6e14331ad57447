package dev.tern.policy.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.Bitrate;
import dev.tern.spi.PolicyField;
import dev.tern.spi.Subject;
import dev.tern.spi.Transport;
import dev.tern.testing.Poll;
import dev.tern.config.ConfigException;
import dev.tern.config.ConfigProblem;
import dev.tern.spi.GroupMembership;
import dev.tern.spi.InvalidSettingException;
import dev.tern.spi.MetricsRecorder;
import dev.tern.spi.PolicyAnswer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilePolicySourceTest {

    private static final String ISSUE_EXAMPLE = """
            rules:
              - name: sensitive-staff
                match: { users: ["@alice:example.org", "@*:ministry.example.org"] }
                set: { force_relay: true }
              - name: outside-office
                match: { not_networks: ["192.0.2.0/24", "2001:db8::/32"] }
                set: { force_relay: true, max_bitrate: 2M }
              - name: no-guests
                match: { guest: true }
                set: { turn_allowed: false }
              - name: everyone
                set: { max_allocations: 4, transports: [udp, TLS], max_credential_lifetime: 12h }
            """;

    @TempDir
    Path dir;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopScheduler() {
        scheduler.shutdownNow();
    }

    private FilePolicySource source(String name, String content, Duration reload) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return new FilePolicySource(file, reload, "example.org", scheduler, MetricsRecorder.NONE);
    }

    private static PolicyAnswer answer(FilePolicySource source, Subject subject) throws Exception {
        return source.evaluate(subject).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static Subject at(String user, String address) throws IOException {
        return Subject.user(user).withRemoteAddress(InetAddress.getByName(address));
    }

    @Test
    void firstMatchingRuleDecidesEachFieldOfTheIssueExample() throws Exception {
        try (var source = source("policy.yaml", ISSUE_EXAMPLE, Duration.ZERO)) {
            PolicyAnswer alice = answer(source, at("@alice:example.org", "192.0.2.7"));
            assertEquals(Map.of(PolicyField.FORCE_RELAY, "sensitive-staff", PolicyField.MAX_ALLOCATIONS, "everyone",
                    PolicyField.TRANSPORTS, "everyone", PolicyField.MAX_CREDENTIAL_LIFETIME, "everyone"),
                    alice.rules());
            assertEquals(Set.of(Transport.UDP, Transport.TLS), alice.policy().transports().orElseThrow());
            assertEquals(Duration.ofHours(12), alice.policy().maxCredentialLifetime().orElseThrow());

            assertEquals("sensitive-staff", answer(source, at("@bob:ministry.example.org", "192.0.2.7")).rules()
                    .get(PolicyField.FORCE_RELAY));

            PolicyAnswer inOffice = answer(source, at("@bob:example.org", "192.0.2.200"));
            assertTrue(inOffice.policy().forceRelay().isEmpty());
            assertTrue(inOffice.policy().maxBitrate().isEmpty());

            PolicyAnswer outside = answer(source, at("@bob:example.org", "198.51.100.1"));
            assertEquals(true, outside.policy().forceRelay().orElseThrow());
            assertEquals(Bitrate.parse("2M"), outside.policy().maxBitrate().orElseThrow());
            assertEquals("outside-office", outside.rules().get(PolicyField.MAX_BITRATE));

            assertTrue(answer(source, at("@bob:example.org", "2001:db8::1")).policy().forceRelay().isEmpty(),
                    "IPv6 office network");
            assertTrue(answer(source, at("@bob:example.org", "::ffff:192.0.2.9")).policy().forceRelay().isEmpty(),
                    "IPv4-mapped address is the IPv4 address");
            assertEquals(true, answer(source, Subject.user("@bob:example.org")).policy().forceRelay().orElseThrow(),
                    "unknown address is not known to be in the office");

            PolicyAnswer guest = answer(source, Subject.guest("@g1:example.org").withRemoteAddress(
                    InetAddress.getByName("192.0.2.1")));
            assertEquals(false, guest.policy().turnAllowed().orElseThrow());
            assertEquals("no-guests", guest.rules().get(PolicyField.TURN_ALLOWED));
        }
    }

    @Test
    void serverWideAnswerUsesOnlyRulesThatApplyToEveryUser() throws Exception {
        String rules = ISSUE_EXAMPLE + """
                  - name: this-server
                    match: { servers: ["example.org"] }
                    set: { force_relay: true, guests_allowed: false }
                  - name: other-server
                    match: { servers: ["other.example"] }
                    set: { max_bitrate: 1M }
                """;
        try (var source = source("policy.yml", rules, Duration.ZERO)) {
            PolicyAnswer serverWide = source.evaluateServerWide().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(Map.of(PolicyField.MAX_ALLOCATIONS, "everyone", PolicyField.TRANSPORTS, "everyone",
                    PolicyField.MAX_CREDENTIAL_LIFETIME, "everyone", PolicyField.FORCE_RELAY, "this-server",
                    PolicyField.GUESTS_ALLOWED, "this-server"), serverWide.rules());
        }
    }

    @Test
    void readsJsonAndMatchesUsersByRegex() throws Exception {
        String json = """
                {"rules": [
                  {"name": "admins", "match": {"users": ["re:@[a-z]+-admin:example\\\\.org"]},
                   "set": {"max_allocations": 50}}
                ]}
                """;
        try (var source = source("policy.json", json, Duration.ZERO)) {
            assertEquals(50, answer(source, Subject.user("@ops-admin:example.org")).policy().maxAllocations()
                    .getAsInt());
            assertTrue(answer(source, Subject.user("@ops-admin:exampleXorg")).policy().isEmpty());
            assertTrue(answer(source, Subject.user("@Ops-admin:example.org")).policy().isEmpty());
        }
    }

    @Test
    void groupConditionsAskTheGroupDirectory() throws Exception {
        String rules = """
                rules:
                  - name: staff
                    match: { groups: [staff] }
                    set: { force_relay: true }
                """;
        try (var source = source("groups.yaml", rules, Duration.ZERO)) {
            assertTrue(answer(source, Subject.user("@alice:example.org")).policy().isEmpty(), "no directory yet");
            source.useGroupDirectory(subject -> CompletableFuture.completedFuture(
                    subject.localpart().equals("alice")
                            ? new GroupMembership(Set.of("cn=staff,ou=groups,dc=example,dc=org"))
                            : GroupMembership.NONE));
            assertEquals("staff", answer(source, Subject.user("@alice:example.org")).rules()
                    .get(PolicyField.FORCE_RELAY));
            assertTrue(answer(source, Subject.user("@bob:example.org")).policy().isEmpty());
            source.useGroupDirectory(subject -> CompletableFuture.failedFuture(new IOException("down")));
            assertTrue(source.evaluate(Subject.user("@alice:example.org")).toCompletableFuture()
                    .isCompletedExceptionally(), "a failed lookup fails the evaluation, so on_error applies");
        }
    }

    @Test
    void reloadsWhenTheFileChanges() throws Exception {
        try (var source = source("policy.yaml", ISSUE_EXAMPLE, Duration.ofMillis(50))) {
            Files.writeString(dir.resolve("policy.yaml"), """
                    rules:
                      - name: lockdown
                        set: { turn_allowed: false }
                    """);
            waitFor(() -> source.rules().rules().size() == 1);
            assertEquals("lockdown", answer(source, Subject.user("@carol:example.org")).rules()
                    .get(PolicyField.TURN_ALLOWED));
        }
    }

    @Test
    void seesAnEditorReplacingTheFileByRename() throws Exception {
        try (var source = source("policy.yaml", ISSUE_EXAMPLE, Duration.ZERO)) {
            Path swap = dir.resolve(".policy.yaml.swp");
            Files.writeString(swap, "rules: []\n");
            Files.move(swap, dir.resolve("policy.yaml"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            source.checkForChange();
            assertTrue(source.rules().rules().isEmpty());
        }
    }

    @Test
    void invalidEditKeepsTheLastGoodRulesAndNamesLineAndKey() throws Exception {
        try (var source = source("policy.yaml", ISSUE_EXAMPLE, Duration.ZERO)) {
            Files.writeString(dir.resolve("policy.yaml"), ISSUE_EXAMPLE.replace("192.0.2.0/24", "192.0.2.0/33"));
            source.checkForChange();
            ConfigProblem error = source.lastError().orElseThrow().problems().get(0);
            assertEquals(6, error.line());
            assertEquals("rules[1].match.not_networks[0]", error.path());
            assertTrue(error.toString().contains("policy.yaml, line 6: rules[1].match.not_networks[0]"),
                    error.toString());
            assertEquals(4, source.rules().rules().size(), "the previous rules stay in force");
            assertEquals("sensitive-staff", answer(source, Subject.user("@alice:example.org")).rules()
                    .get(PolicyField.FORCE_RELAY));

            Files.writeString(dir.resolve("policy.yaml"), ISSUE_EXAMPLE.replace("turn_allowed", "turn_alowed"));
            source.checkForChange();
            assertEquals("rules[2].set.turn_alowed", firstProblem(source).path());
            assertEquals(10, firstProblem(source).line());
            assertTrue(firstProblem(source).message().contains("did you mean 'turn_allowed'"),
                    firstProblem(source).message());

            Files.writeString(dir.resolve("policy.yaml"), ISSUE_EXAMPLE.replace("max_allocations: 4",
                    "max_allocations: -1"));
            source.checkForChange();
            assertEquals("rules[3].set.max_allocations", firstProblem(source).path());

            Files.writeString(dir.resolve("policy.yaml"), "rules: [ {name: x\n");
            source.checkForChange();
            assertTrue(firstProblem(source).line() > 0);
            assertFalse(firstProblem(source).toString().contains("\n"), "one line per problem");
            assertEquals(4, source.rules().rules().size());

            Files.writeString(dir.resolve("policy.yaml"), "rules: []\n");
            source.checkForChange();
            assertTrue(source.lastError().isEmpty(), "a good edit clears the error");
            assertTrue(source.rules().rules().isEmpty());
        }
    }

    @Test
    void refusesAnInvalidFileAtStartNamingIt() throws IOException {
        Files.writeString(dir.resolve("bad.yaml"), "rules:\n  - name: x\n    set: { max_bitrate: fast }\n");
        var e = assertThrows(ConfigException.class,
                () -> new FilePolicySource(dir.resolve("bad.yaml"), Duration.ZERO, "example.org", scheduler,
                        MetricsRecorder.NONE));
        assertEquals(1, e.problems().size(), e.getMessage());
        assertEquals(3, e.problems().get(0).line());
        assertEquals("rules[0].set.max_bitrate", e.problems().get(0).path());
        assertTrue(e.problems().get(0).message().contains("found 'fast', expected a bitrate"), e.getMessage());
        assertThrows(InvalidSettingException.class,
                () -> new FilePolicySource(dir.resolve("missing.yaml"), Duration.ZERO, "example.org", scheduler,
                        MetricsRecorder.NONE));
    }

    @Test
    void aTypoIsReportedAtItsOwnLineWithTheNearestKeyAndEveryMistakeIsListed() throws IOException {
        Files.writeString(dir.resolve("typos.yaml"), """
                rules:
                  - name: first
                    sett: { force_relay: true }
                  - name: second
                    match: { networks: [10.0.0.0/33] }
                    set: { max_bitrate: fast }
                  - name: third
                    set: { turn_allowed: true, max_allocations: -1 }
                """);
        var e = assertThrows(ConfigException.class,
                () -> new FilePolicySource(dir.resolve("typos.yaml"), Duration.ZERO, "example.org", scheduler,
                        MetricsRecorder.NONE));
        List<String> problems = e.problems().stream().map(ConfigProblem::toString).toList();
        assertEquals(4, problems.size(), e.getMessage());
        assertTrue(problems.get(0).contains("typos.yaml, line 3: rules[0].sett: unknown key (did you mean 'set'?)"),
                problems.get(0));
        assertFalse(e.getMessage().contains("is missing"), "the typo is not also reported as a missing set: " + e);
        assertTrue(problems.get(1).contains("typos.yaml, line 5: rules[1].match.networks[0]"), problems.get(1));
        assertTrue(problems.get(2).contains("typos.yaml, line 6: rules[1].set.max_bitrate: found 'fast'"),
                problems.get(2));
        assertTrue(problems.get(3).contains("typos.yaml, line 8: rules[2].set.max_allocations: must not be negative"),
                problems.get(3));
    }

    @Test
    void everyWrongValueOfEveryRuleIsReportedAtItsLineInOneError() throws IOException {
        Files.writeString(dir.resolve("values.yaml"), """
                rules:
                  - name: three-wrong
                    match: { guest: sometimes }
                    set:
                      max_bitrate: fast
                      force_relay: maybe
                  - name: fine
                    set: { force_relay: true }
                  - name: two-wrong
                    match: { users: ["@a:example.org"], networks: [10.0.0.0/33] }
                    set: { max_allocations: -1, turn_allowed: true }
                """);
        var e = assertThrows(ConfigException.class,
                () -> new FilePolicySource(dir.resolve("values.yaml"), Duration.ZERO, "example.org", scheduler,
                        MetricsRecorder.NONE));
        List<String> problems = e.problems().stream().map(p -> p.line() + " " + p.path()).toList();
        assertEquals(List.of("3 rules[0].match.guest", "5 rules[0].set.max_bitrate", "6 rules[0].set.force_relay",
                "10 rules[2].match.networks[0]", "11 rules[2].set.max_allocations"), problems, e.getMessage());
        assertTrue(e.getMessage().contains("rules[0].set.max_bitrate: found 'fast', expected a bitrate"),
                e.getMessage());
        assertTrue(e.getMessage().contains("rules[2].set.max_allocations: must not be negative"), e.getMessage());
        assertFalse(e.getMessage().contains("is missing") || e.getMessage().contains("sets nothing"),
                "taking a wrong value out to find the next is not itself reported: " + e.getMessage());
    }

    @Test
    void anEmptyFileIsNoRulesAtStartAndOnReloadAlike() throws Exception {
        Files.writeString(dir.resolve("empty.yaml"), "# nothing yet\n");
        try (var source = new FilePolicySource(dir.resolve("empty.yaml"), Duration.ZERO, "example.org", scheduler,
                MetricsRecorder.NONE)) {
            assertTrue(source.rules().rules().isEmpty());
            assertTrue(answer(source, Subject.user("@alice:example.org")).policy().isEmpty());
            Files.writeString(dir.resolve("empty.yaml"), ISSUE_EXAMPLE);
            source.checkForChange();
            assertEquals(4, source.rules().rules().size());
            Files.writeString(dir.resolve("empty.yaml"), "");
            source.checkForChange();
            assertTrue(source.lastError().isEmpty(), "an empty file is accepted on reload too");
            assertTrue(source.rules().rules().isEmpty(), "and clears the rules like rules: []");
        }
    }

    @Test
    void aDeletedFileKeepsTheLastRulesAndIsWarnedCountedAndReportedUntilItReturns() throws Exception {
        Map<String, LongAdder> counts = new ConcurrentHashMap<>();
        MetricsRecorder metrics = new MetricsRecorder() {
            @Override
            public void count(String name, Map<String, String> tags, long amount) {
                counts.computeIfAbsent(name + tags.get("event") + "/" + tags.get("file"), k -> new LongAdder())
                        .add(amount);
            }

            @Override
            public void time(String name, Map<String, String> tags, Duration duration) {
            }
        };
        Path file = Files.writeString(dir.resolve("policy.yaml"), ISSUE_EXAMPLE);
        try (var source = new FilePolicySource(file, Duration.ZERO, "example.org", scheduler, metrics)) {
            Files.delete(file);
            source.checkForChange();
            source.checkForChange();
            assertEquals(1, counts.get(FilePolicySource.FILE_EVENTS + "missing/policy.yaml").sum(),
                    "counted once per disappearance: " + counts);
            assertTrue(source.problem().orElseThrow().contains(file + " is missing"), source.problem().toString());
            assertEquals("sensitive-staff", answer(source, Subject.user("@alice:example.org")).rules()
                    .get(PolicyField.FORCE_RELAY), "the last good rules stay in force");

            Files.writeString(file, "rules: []\n");
            source.checkForChange();
            assertTrue(source.problem().isEmpty());
            assertEquals(1, counts.get(FilePolicySource.FILE_EVENTS + "restored/policy.yaml").sum());
            assertTrue(source.rules().rules().isEmpty(), "the returned file is loaded");
        }
    }

    @Test
    void aReloadThatAddsGroupRulesWithoutADirectoryIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("policy.yaml"), "rules: []\n");
        try (var source = new FilePolicySource(file, Duration.ZERO, "example.org", scheduler, MetricsRecorder.NONE)) {
            Files.writeString(file, """
                    rules:
                      - name: staff
                        match: { groups: [staff] }
                        set: { force_relay: true }
                    """);
            source.checkForChange();
            ConfigProblem problem = firstProblem(source);
            assertEquals("rules[0].match.groups", problem.path());
            assertTrue(problem.message().contains("rule 'staff' matches on groups, but no configured source knows "
                    + "groups"), problem.toString());
            assertTrue(source.rules().rules().isEmpty());
        }
    }

    private static ConfigProblem firstProblem(FilePolicySource source) {
        return source.lastError().orElseThrow().problems().get(0);
    }

    @Test
    void configNeedsAPathWithAKnownExtension() {
        assertEquals("path", assertThrows(InvalidSettingException.class,
                () -> new FileSourceConfig(null, null)).key());
        assertEquals("path", assertThrows(InvalidSettingException.class,
                () -> new FileSourceConfig(Path.of("rules.txt"), null)).key());
        assertEquals("reload", assertThrows(InvalidSettingException.class,
                () -> new FileSourceConfig(Path.of("rules.yaml"), Duration.ofSeconds(-1))).key());
        assertEquals(FileSourceConfig.DEFAULT_RELOAD, new FileSourceConfig(Path.of("r.json"), null).reload());
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        Poll.until("the condition", Duration.ofSeconds(10), condition);
    }
}
