package dev.tern.policy.ldap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.PolicyDecision;
import dev.tern.spi.PolicyField;
import dev.tern.spi.Provenance;
import dev.tern.spi.Secret;
import dev.tern.spi.SourceHealth;
import dev.tern.spi.Subject;
import dev.tern.spi.TurnPolicy;
import dev.tern.testing.Poll;
import dev.tern.policy.PolicyEngine;
import dev.tern.policy.PolicySettings;
import dev.tern.host.ConfiguredPolicySource;
import dev.tern.spi.MetricsRecorder;
import dev.tern.spi.PolicyAnswer;
import dev.tern.spi.PolicySourceSettings;
import dev.tern.spi.PolicySourceSettings.OnError;
import dev.tern.testing.MutableClock;
import dev.tern.testing.ldap.Slapd;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ldap} source against a real OpenLDAP (one slapd for the class, with the memberof overlay and
 * posixGroup): outages made by stopping slapd, posixGroup membership, what {@code fail_closed} grants while the
 * directory is down, and which Matrix users the default filter matches.
 */
class SlapdPolicySourceIT {

    private static final LdapRule STAFF = new LdapRule("staff-limits", "staff", null, null,
            PolicySettings.builder().maxAllocations(3).build());
    private static final LdapRule NO_TURN = new LdapRule("no-turn", "no-turn", null, null,
            PolicySettings.builder().turnAllowed(false).build());
    private static final LdapRule POSIX_RELAY = new LdapRule("voip-relay", "voip-relay", null, null,
            PolicySettings.builder().forceRelay(true).build());

    @TempDir
    static Path dir;
    private static Slapd slapd;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final StateChanges metrics = new StateChanges();

    @BeforeAll
    static void startDirectory() throws Exception {
        try (InputStream ldif = SlapdPolicySourceIT.class.getResourceAsStream("/ldap/slapd.ldif")) {
            slapd = Slapd.start(dir, new String(ldif.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @AfterAll
    static void stopDirectory() {
        if (slapd != null) {
            slapd.close();
        }
    }

    @BeforeEach
    void directoryIsUp() throws Exception {
        slapd.restart(); // a test that made an outage and failed before ending it
    }

    @AfterEach
    void stopScheduler() {
        scheduler.shutdownNow();
    }

    private static LdapSourceConfig config(GroupSearch groupSearch, List<LdapRule> rules) {
        return LdapSourceConfig.builder()
                .url(slapd.url())
                .bindDn("cn=tern,ou=services,dc=example,dc=org")
                .bindPassword(Secret.of("bind-secret"))
                .baseDn("ou=people,dc=example,dc=org")
                .groupSearch(groupSearch)
                .rules(rules)
                .poolSize(2)
                .connectTimeout(Duration.ofSeconds(2))
                .responseTimeout(Duration.ofSeconds(2))
                .serverNames(List.of("example.org"))
                .build();
    }

    private PolicyEngine engine(LdapPolicySource source, OnError onError) {
        return new PolicyEngine(TurnPolicy.builder().forceRelay(false).turnAllowed(true).build(),
                List.of(new ConfiguredPolicySource(new PolicySourceSettings("directory", onError, Duration.ofSeconds(10)),
                        source)), clock, scheduler, metrics);
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void anOutageIsOneFailureAndOneRecoveryWhateverIsAskedMeanwhile() throws Exception {
        var source = new LdapPolicySource(config(null, List.of(STAFF)), clock);
        try (var engine = engine(source, OnError.FAIL_CLOSED)) {
            assertEquals(3, await(engine.decide(Subject.user("@alice:example.org"))).maxAllocations().getAsInt());
            assertEquals(SourceHealth.ANSWERING, engine.sourceHealth().get("directory"));

            slapd.stop();
            assertTrue(await(engine.decide(Subject.user("@bob:example.org"))).forceRelay(), "fail_closed");
            for (int i = 0; i < 3; i++) { // what /health/ready asks, and answers from the cache
                await(engine.decideServerWide());
                assertEquals(3, await(engine.decide(Subject.user("@alice:example.org"))).maxAllocations().getAsInt());
                await(engine.decide(Subject.user("@erin:example.org")));
            }
            SourceHealth down = engine.sourceHealth().get("directory");
            assertFalse(down.answering(), "server-wide and cached answers are no recovery: " + down);
            assertTrue(down.detail().startsWith("LDAP "), down.detail());
            assertFalse(down.detail().contains("127.0.0.1"), "no address in health: " + down.detail());
            assertEquals(Map.of("failing", 1L), metrics.changes(), "one failure for one outage");

            slapd.restart();
            PolicyDecision back = await(engine.decide(Subject.user("@erin:example.org")));
            assertFalse(back.forceRelay(), "a real answer from the directory");
            assertEquals(SourceHealth.ANSWERING, engine.sourceHealth().get("directory"));
            await(engine.decideServerWide());
            assertEquals(Map.of("failing", 1L, "answering", 1L), metrics.changes(), "one recovery when it answers");
        }
    }

    @Test
    void aFailingDirectoryIsProbedUntilItIsBackWithoutTraffic() throws Exception {
        slapd.stop();
        try (var source = new LdapPolicySource(config(null, List.of(STAFF)), clock)) {
            waitFor(() -> !source.health().orElseThrow().answering(), Duration.ofSeconds(10));
            slapd.restart();
            waitFor(() -> source.health().orElseThrow().answering(),
                    Duration.ofSeconds(LdapPolicySource.PROBE_SECONDS * 3));
        }
    }

    @Test
    void posixGroupMembershipIsFoundByTheUsersUid() throws Exception {
        var posix = new GroupSearch("ou=groups,dc=example,dc=org", "(&(objectClass=posixGroup)(memberUid={uid}))", null);
        try (var source = new LdapPolicySource(config(posix, List.of(POSIX_RELAY)), clock)) {
            PolicyAnswer dave = await(source.evaluate(Subject.user("@dave:example.org")));
            assertEquals(PolicyAnswer.byRule("voip-relay", TurnPolicy.builder().forceRelay(true).build()), dave);
            assertEquals(PolicyAnswer.NONE, await(source.evaluate(Subject.user("@alice:example.org"))));
        }
    }

    @Test
    void failClosedNeverGrantsWhatTheDirectoryWouldRefuse() throws Exception {
        for (OnError onError : List.of(OnError.FAIL_CLOSED, OnError.LAST_KNOWN)) {
            var source = new LdapPolicySource(config(null, List.of(STAFF, NO_TURN)), clock);
            try (var engine = engine(source, onError)) {
                PolicyDecision up = await(engine.decide(Subject.user("@erin:example.org")));
                assertTrue(up.turnAllowed(), "erin is in no group");
                slapd.stop();
                PolicyDecision bob = await(engine.decide(Subject.user("@bob:example.org")));
                assertFalse(bob.turnAllowed(), onError + ": a no-turn member gets no TURN during the outage");
                assertTrue(bob.forceRelay(), onError + ": relaying stays forced");
                assertEquals(3, bob.maxAllocations().getAsInt(), onError + ": the tightest quota of any rule");
                String rule = onError == OnError.FAIL_CLOSED ? "on_error: fail_closed"
                        : "on_error: last_known, nothing known yet, so fail_closed";
                assertEquals(new Provenance("directory", rule + ", as rule 'no-turn'"),
                        bob.provenance().get(PolicyField.TURN_ALLOWED));
                assertEquals(new Provenance("directory", rule), bob.provenance().get(PolicyField.FORCE_RELAY));
            } finally {
                slapd.restart();
            }
        }
    }

    @Test
    void theDefaultFilterMatchesOnlyTheServersUsersWithTheLocalpartsCase() throws Exception {
        try (var source = new LdapPolicySource(config(null, List.of(STAFF)), clock)) {
            assertEquals(3, await(source.evaluate(Subject.user("@alice:example.org"))).policy().maxAllocations()
                    .getAsInt());
            long searches = searchesFor("(uid=alice)");
            assertEquals(PolicyAnswer.NONE, await(source.evaluate(Subject.user("@alice:other.example"))),
                    "another server's alice is not ours");
            assertEquals(searches, searchesFor("(uid=alice)"), "another server's user is not even searched for");
            assertEquals(PolicyAnswer.NONE, await(source.evaluate(Subject.user("@Alice:example.org"))),
                    "Matrix localparts are case-sensitive; slapd's uid match is not");
            assertEquals(3, await(source.evaluate(Subject.user("@alice:EXAMPLE.org"))).policy().maxAllocations()
                    .getAsInt(), "server names compare without case");
        }
    }

    /** How many searches slapd has logged with this filter. */
    private static long searchesFor(String filter) {
        String needle = "filter=\"" + filter + "\"";
        return slapd.log().lines().filter(line -> line.contains(" SRCH ") && line.contains(needle)).count();
    }

    private static void waitFor(BooleanSupplier condition, Duration limit) throws InterruptedException {
        Poll.until("the condition", limit, condition);
    }

    /** Counts the engine's source state changes by state; drops every other metric. */
    private static final class StateChanges implements MetricsRecorder {
        private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

        @Override
        public void count(String name, Map<String, String> tags, long amount) {
            if (name.equals(PolicyEngine.SOURCE_STATE_COUNTER)) {
                counts.computeIfAbsent(tags.get("state"), state -> new AtomicLong()).addAndGet(amount);
            }
        }

        @Override
        public void time(String name, Map<String, String> tags, Duration duration) {
        }

        Map<String, Long> changes() {
            Map<String, Long> copy = new java.util.TreeMap<>();
            counts.forEach((state, count) -> copy.put(state, count.get()));
            return copy;
        }
    }
}
