package dev.tern.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.GroupDirectory;
import dev.tern.spi.GroupMembership;
import dev.tern.spi.Bitrate;
import dev.tern.spi.PolicyDecision;
import dev.tern.spi.PolicyField;
import dev.tern.spi.Provenance;
import dev.tern.spi.Subject;
import dev.tern.spi.Transport;
import dev.tern.spi.TurnPolicy;
import dev.tern.host.ConfiguredPolicySource;
import dev.tern.spi.MetricsRecorder;
import dev.tern.spi.PolicyAnswer;
import dev.tern.spi.PolicySourceSettings;
import dev.tern.spi.PolicySourceSettings.OnError;
import dev.tern.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PolicyEngineTest {

    private static final Subject ALICE = Subject.user("@alice:example.org");

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @AfterEach
    void stopScheduler() {
        scheduler.shutdownNow();
    }

    private static ConfiguredPolicySource source(String name, OnError onError, ScriptedSource source) {
        return new ConfiguredPolicySource(new PolicySourceSettings(name, onError, Duration.ofMillis(200)), source);
    }

    private static PolicyDecision await(CompletionStage<PolicyDecision> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void mostRestrictiveValueWinsEachFieldAndNamesItsSource() throws Exception {
        var a = new ScriptedSource(new PolicyAnswer(TurnPolicy.builder().forceRelay(false).turnAllowed(true)
                .maxAllocations(5).maxBitrate(Bitrate.parse("2M")).transports(Set.of(Transport.UDP, Transport.TCP))
                .build(), Map.of(PolicyField.FORCE_RELAY, "a-force", PolicyField.TURN_ALLOWED, "a-turn",
                PolicyField.MAX_ALLOCATIONS, "a-alloc", PolicyField.MAX_BITRATE, "a-rate",
                PolicyField.TRANSPORTS, "a-transports")));
        var b = new ScriptedSource(PolicyAnswer.byRule("b-rule", TurnPolicy.builder().forceRelay(true)
                .turnAllowed(true).maxAllocations(3).maxBitrate(Bitrate.parse("5M"))
                .transports(Set.of(Transport.TCP, Transport.TLS)).build()));
        TurnPolicy defaults = TurnPolicy.builder().guestsAllowed(false).maxCredentialLifetime(Duration.ofHours(1))
                .maxAllocations(1).build();
        try (var engine = new PolicyEngine(defaults, List.of(source("a", OnError.FAIL_CLOSED, a),
                source("b", OnError.FAIL_CLOSED, b)), clock, scheduler, MetricsRecorder.NONE)) {
            PolicyDecision d = await(engine.decide(ALICE));
            assertTrue(d.forceRelay());
            assertEquals(new Provenance("b", "b-rule"), d.provenance().get(PolicyField.FORCE_RELAY));
            assertTrue(d.turnAllowed());
            assertEquals(new Provenance("a", "a-turn"), d.provenance().get(PolicyField.TURN_ALLOWED), "tie: first");
            assertEquals(3, d.maxAllocations().getAsInt(), "a source's limit wins over the defaults' smaller one");
            assertEquals(new Provenance("b", "b-rule"), d.provenance().get(PolicyField.MAX_ALLOCATIONS));
            assertEquals(Bitrate.parse("2M"), d.maxBitrate().orElseThrow());
            assertEquals(new Provenance("a", "a-rate"), d.provenance().get(PolicyField.MAX_BITRATE));
            assertEquals(Set.of(Transport.TCP), d.transports().orElseThrow());
            assertEquals(new Provenance("a, b", "a-transports and b-rule"), d.provenance().get(PolicyField.TRANSPORTS));
            assertFalse(d.guestsAllowed());
            assertEquals(Provenance.DEFAULTS, d.provenance().get(PolicyField.GUESTS_ALLOWED));
            assertEquals(Duration.ofHours(1), d.maxCredentialLifetime().orElseThrow());
        }
    }

    @Test
    void transportsWithNothingInCommonDenyTurn() throws Exception {
        var a = new ScriptedSource(PolicyAnswer.byRule("udp-only", TurnPolicy.builder()
                .transports(Set.of(Transport.UDP)).build()));
        var b = new ScriptedSource(PolicyAnswer.byRule("tls-only", TurnPolicy.builder()
                .transports(Set.of(Transport.TLS)).build()));
        try (var engine = new PolicyEngine(TurnPolicy.EMPTY, List.of(source("a", OnError.FAIL_CLOSED, a),
                source("b", OnError.FAIL_CLOSED, b)), clock, scheduler, MetricsRecorder.NONE)) {
            PolicyDecision d = await(engine.decide(ALICE));
            assertFalse(d.turnAllowed());
            assertEquals("a, b", d.provenance().get(PolicyField.TURN_ALLOWED).source());
            assertEquals(Set.of(Transport.UDP), d.transports().orElseThrow());
        }
    }

    @Test
    void failingSourceForcesRelayButKeepsTurnAllowedByDefault() throws Exception {
        var failing = new ScriptedSource(PolicyAnswer.NONE);
        failing.fail();
        try (var engine = new PolicyEngine(TurnPolicy.builder().turnAllowed(true).build(),
                List.of(source("ldap", OnError.FAIL_CLOSED, failing)), clock, scheduler, MetricsRecorder.NONE)) {
            PolicyDecision d = await(engine.decide(ALICE));
            assertTrue(d.forceRelay());
            assertEquals(new Provenance("ldap", "on_error: fail_closed"), d.provenance().get(PolicyField.FORCE_RELAY));
            assertTrue(d.turnAllowed());
            assertEquals(Provenance.DEFAULTS, d.provenance().get(PolicyField.TURN_ALLOWED));
        }
    }

    @Test
    void sourceThrowingInsteadOfFailingItsStageIsTreatedAsFailed() throws Exception {
        var throwing = new ScriptedSource(PolicyAnswer.NONE);
        throwing.throwSynchronously();
        try (var engine = new PolicyEngine(TurnPolicy.EMPTY, List.of(source("x", OnError.FAIL_CLOSED, throwing)),
                clock, scheduler, MetricsRecorder.NONE)) {
            assertEquals("on_error: fail_closed", await(engine.decide(ALICE)).provenance()
                    .get(PolicyField.FORCE_RELAY).rule());
        }
    }

    @Test
    void ignoredFailureLeavesTheFieldsToOtherSourcesAndDefaults() throws Exception {
        var failing = new ScriptedSource(PolicyAnswer.NONE);
        failing.fail();
        try (var engine = new PolicyEngine(TurnPolicy.builder().forceRelay(false).build(),
                List.of(source("ldap", OnError.IGNORE, failing)), clock, scheduler, MetricsRecorder.NONE)) {
            PolicyDecision d = await(engine.decide(ALICE));
            assertFalse(d.forceRelay());
            assertEquals(Provenance.DEFAULTS, d.provenance().get(PolicyField.FORCE_RELAY));
        }
    }

    @Test
    void lastKnownRepeatsTheSourcesPreviousAnswerForThatSubject() throws Exception {
        var flaky = new ScriptedSource(PolicyAnswer.byRule("contractors", TurnPolicy.builder().turnAllowed(false)
                .build()));
        try (var engine = new PolicyEngine(TurnPolicy.EMPTY, List.of(source("ldap", OnError.LAST_KNOWN, flaky)),
                clock, scheduler, MetricsRecorder.NONE)) {
            assertFalse(await(engine.decide(ALICE.withDeviceId("PHONE"))).turnAllowed());
            flaky.fail();
            PolicyDecision remembered = await(engine.decide(ALICE.withDeviceId("LAPTOP")));
            assertFalse(remembered.turnAllowed(), "the device does not change the subject's policy");
            assertEquals("contractors (last known, on_error: last_known)",
                    remembered.provenance().get(PolicyField.TURN_ALLOWED).rule());
            assertFalse(remembered.forceRelay());

            PolicyDecision unknown = await(engine.decide(Subject.user("@bob:example.org")));
            assertTrue(unknown.forceRelay(), "nothing known for bob: fail closed");
            assertTrue(unknown.turnAllowed());

            clock.advance(Duration.ofDays(2));
            assertTrue(await(engine.decide(ALICE)).forceRelay(), "a day-old answer is no longer used");
        }
    }

    @Test
    void slowSourceIsCutOffAtItsTimeoutAndFailsClosed() throws Exception {
        var slow = new ScriptedSource(PolicyAnswer.NONE);
        slow.hang();
        var fast = new ScriptedSource(PolicyAnswer.byRule("cap", TurnPolicy.builder().maxAllocations(2).build()));
        try (var engine = new PolicyEngine(TurnPolicy.EMPTY, List.of(source("slow", OnError.FAIL_CLOSED, slow),
                source("fast", OnError.FAIL_CLOSED, fast)), clock, scheduler, MetricsRecorder.NONE)) {
            PolicyDecision d = await(engine.decide(ALICE));
            assertEquals(new Provenance("slow", "on_error: fail_closed"), d.provenance().get(PolicyField.FORCE_RELAY));
            assertEquals(2, d.maxAllocations().getAsInt());
        }
    }

    @Test
    void recordsEachSourcesTimeAndResultUnderItsName() throws Exception {
        List<String> recorded = Collections.synchronizedList(new ArrayList<>());
        MetricsRecorder metrics = new MetricsRecorder() {
            @Override
            public void count(String name, Map<String, String> tags, long amount) {
                recorded.add("count " + name + " " + tags.get("source") + " " + tags.get("state") + " " + amount);
            }

            @Override
            public void time(String name, Map<String, String> tags, Duration duration) {
                assertFalse(duration.isNegative(), name + " " + tags);
                recorded.add(name + " " + tags.get("source") + " " + tags.get("result") + " " + tags.size());
            }
        };
        var ok = new ScriptedSource(PolicyAnswer.NONE);
        var failing = new ScriptedSource(PolicyAnswer.NONE);
        failing.fail();
        var slow = new ScriptedSource(PolicyAnswer.NONE);
        slow.hang();
        try (var engine = new PolicyEngine(TurnPolicy.EMPTY, List.of(source("file", OnError.IGNORE, ok),
                source("ldap", OnError.IGNORE, failing), source("remote", OnError.IGNORE, slow)), clock, scheduler,
                metrics)) {
            await(engine.decide(ALICE));
            await(engine.decideServerWide());
        }
        List<String> sorted = new ArrayList<>(recorded);
        Collections.sort(sorted);
        assertEquals(List.of("count tern_policy_source_state_changes ldap failing 1",
                "count tern_policy_source_state_changes remote failing 1",
                "tern_policy_source file ok 2", "tern_policy_source file ok 2",
                "tern_policy_source ldap error 2", "tern_policy_source ldap error 2",
                "tern_policy_source remote timeout 2", "tern_policy_source remote timeout 2"), sorted,
                "no user id among the tags, one timing per question and source, one state change per failing source");
    }

    @Test
    void asksAllSourcesAtOnceNotOneAfterTheOther() throws Exception {
        var first = new ScriptedSource(PolicyAnswer.NONE);
        var second = new ScriptedSource(PolicyAnswer.NONE);
        CompletableFuture<PolicyAnswer> firstAnswer = new CompletableFuture<>();
        first.answerWith(firstAnswer);
        try (var engine = new PolicyEngine(TurnPolicy.EMPTY, List.of(source("first", OnError.FAIL_CLOSED, first),
                source("second", OnError.FAIL_CLOSED, second)), clock, scheduler, MetricsRecorder.NONE)) {
            second.onAsk(() -> firstAnswer.complete(PolicyAnswer.byRule("r", TurnPolicy.builder().maxAllocations(1)
                    .build())));
            PolicyDecision d = await(engine.decide(ALICE));
            assertEquals(new Provenance("first", "r"), d.provenance().get(PolicyField.MAX_ALLOCATIONS),
                    "the first source's answer only comes once the second was asked");
        }
    }

    @Test
    void serverWideDecisionUsesTheSourcesServerWideAnswers() throws Exception {
        var source = new ScriptedSource(PolicyAnswer.byRule("vip", TurnPolicy.builder().forceRelay(true).build()));
        source.serverWide(PolicyAnswer.NONE);
        try (var engine = new PolicyEngine(TurnPolicy.builder().forceRelay(false).build(),
                List.of(source("file", OnError.FAIL_CLOSED, source)), clock, scheduler, MetricsRecorder.NONE)) {
            assertTrue(await(engine.decide(ALICE)).forceRelay());
            PolicyDecision serverWide = await(engine.decideServerWide());
            assertFalse(serverWide.forceRelay());
            assertEquals(Provenance.DEFAULTS, serverWide.provenance().get(PolicyField.FORCE_RELAY));
        }
    }

    @Test
    void noSourcesMeansTheDefaults() throws Exception {
        TurnPolicy defaults = TurnPolicy.builder().forceRelay(false).turnAllowed(true).guestsAllowed(true).build();
        try (var engine = new PolicyEngine(defaults, List.of(), clock, scheduler, MetricsRecorder.NONE)) {
            assertEquals(PolicyDecision.PERMISSIVE, await(engine.decide(ALICE)));
        }
    }

    @Test
    void aSourceWithGroupRulesAndNoDirectoryIsRefusedNamingItAndTheRules() {
        class Aware extends ScriptedSource {
            Aware() {
                super(PolicyAnswer.NONE);
            }

            @Override
            public void useGroupDirectory(GroupDirectory directory) {
                throw new AssertionError("no directory to hand over");
            }

            @Override
            public List<String> groupConditions() {
                return List.of("rules.yaml: rules[1].match.groups (rule 'staff')");
            }
        }
        var e = assertThrows(SourceWiringException.class, () -> new PolicyEngine(TurnPolicy.EMPTY,
                List.of(source("rules", OnError.FAIL_CLOSED, new Aware())), clock, scheduler, MetricsRecorder.NONE));
        assertEquals("rules", e.sourceName());
        assertTrue(e.problem().startsWith("rules.yaml: rules[1].match.groups (rule 'staff'): matches on groups, but no "
                + "configured source knows groups"), e.problem());
    }

    @Test
    void groupDirectoriesOfferedBySourcesAreHandedToEverySourceAndSourcesAreClosedOnce() {
        class Directory extends ScriptedSource implements GroupDirectory {
            Directory() {
                super(PolicyAnswer.NONE);
            }

            @Override
            public Optional<GroupDirectory> groupDirectory() {
                return Optional.of(this);
            }

            @Override
            public CompletionStage<GroupMembership> groupsOf(Subject subject) {
                return CompletableFuture.completedFuture(new GroupMembership(Set.of("cn=staff,dc=example")));
            }
        }
        class Aware extends ScriptedSource {
            volatile GroupDirectory given;

            Aware() {
                super(PolicyAnswer.NONE);
            }

            @Override
            public void useGroupDirectory(GroupDirectory directory) {
                given = directory;
            }

            @Override
            public List<String> groupConditions() {
                return List.of("rules[0].match.groups");
            }
        }
        var directory = new Directory();
        var aware = new Aware();
        var engine = new PolicyEngine(TurnPolicy.EMPTY, List.of(source("file", OnError.FAIL_CLOSED, aware),
                source("ldap", OnError.FAIL_CLOSED, directory)), clock, scheduler, MetricsRecorder.NONE);
        assertSame(directory, aware.given);
        assertEquals(List.of("file", "ldap"), engine.sourceNames());
        engine.close();
        engine.close();
        assertTrue(aware.closed.get() && directory.closed.get());
    }
}
