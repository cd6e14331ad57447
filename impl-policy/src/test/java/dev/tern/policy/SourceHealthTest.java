package dev.tern.policy;

import dev.tern.spi.MetricsRecorder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.Bitrate;
import dev.tern.spi.PolicyDecision;
import dev.tern.spi.PolicyField;
import dev.tern.spi.Provenance;
import dev.tern.spi.SourceHealth;
import dev.tern.spi.Subject;
import dev.tern.spi.TurnPolicy;
import dev.tern.host.ConfiguredPolicySource;
import dev.tern.spi.PolicyAnswer;
import dev.tern.spi.PolicySourceSettings;
import dev.tern.spi.PolicySourceSettings.OnError;
import dev.tern.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's view of a source's state ({@link PolicyEngine#sourceHealth()}) and what {@code fail_closed}
 * substitutes, with a source that reports its backend's state and lists its rules' answers, as the ldap source
 * does (which is tested against a real slapd in tern-policy-ldap).
 */
class SourceHealthTest {

    private static final Subject ALICE = Subject.user("@alice:example.org");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    /** Answers server-wide without its backend, like the ldap source; reports the backend's state. */
    private static final class BackendSource extends ScriptedSource {
        volatile SourceHealth backend = SourceHealth.ANSWERING;
        volatile List<PolicyAnswer> rules = List.of();

        BackendSource() {
            super(PolicyAnswer.NONE);
        }

        @Override
        public Optional<SourceHealth> health() {
            return Optional.of(backend);
        }

        @Override
        public List<PolicyAnswer> possibleAnswers() {
            return rules;
        }
    }

    private PolicyEngine engine(BackendSource source, OnError onError) {
        return new PolicyEngine(TurnPolicy.builder().forceRelay(false).turnAllowed(true).build(),
                List.of(new ConfiguredPolicySource(new PolicySourceSettings("directory", onError, Duration.ofSeconds(5)),
                        source)), clock, scheduler, MetricsRecorder.NONE);
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void anAnswerIsNoRecoveryWhileTheSourceSaysItsBackendFails() throws Exception {
        var source = new BackendSource();
        try (var engine = engine(source, OnError.FAIL_CLOSED)) {
            assertEquals(SourceHealth.ANSWERING, engine.sourceHealth().get("directory"));
            source.backend = SourceHealth.failing("LDAP 91 (connect error)");
            source.answerWith(CompletableFuture.failedFuture(new IllegalStateException("down")));
            await(engine.decide(ALICE));
            await(engine.decideServerWide()); // succeeds: the server-wide answer needs no backend
            assertEquals(SourceHealth.failing("LDAP 91 (connect error)"), engine.sourceHealth().get("directory"));

            source.backend = SourceHealth.ANSWERING;
            assertFalse(engine.sourceHealth().get("directory").answering(), "until the source really answers");
            await(engine.decideServerWide());
            assertEquals(SourceHealth.ANSWERING, engine.sourceHealth().get("directory"));
        }
    }

    @Test
    void aSourceWithoutItsOwnStateFailsUntilItAnswers() throws Exception {
        var plain = new ScriptedSource(PolicyAnswer.NONE);
        try (var engine = new PolicyEngine(TurnPolicy.EMPTY, List.of(new ConfiguredPolicySource(
                new PolicySourceSettings("rules", OnError.IGNORE, Duration.ofMillis(200)), plain)), clock, scheduler,
                        MetricsRecorder.NONE)) {
            plain.hang();
            await(engine.decide(ALICE));
            assertEquals(SourceHealth.failing("no answer within 200ms"), engine.sourceHealth().get("rules"));
            plain.answer(PolicyAnswer.NONE);
            await(engine.decide(ALICE));
            assertEquals(SourceHealth.ANSWERING, engine.sourceHealth().get("rules"));
        }
    }

    @Test
    void failClosedIsForcedRelayMergedWithTheMostRestrictiveOfEveryRule() throws Exception {
        var source = new BackendSource();
        source.rules = List.of(
                PolicyAnswer.byRule("no-turn", TurnPolicy.builder().turnAllowed(false).build()),
                PolicyAnswer.byRule("slow", TurnPolicy.builder().maxBitrate(Bitrate.parse("512k")).maxAllocations(4)
                        .build()),
                PolicyAnswer.byRule("staff", TurnPolicy.builder().maxBitrate(Bitrate.parse("2M")).turnAllowed(true)
                        .build()));
        source.answerWith(CompletableFuture.failedFuture(new IllegalStateException("down")));
        try (var engine = engine(source, OnError.FAIL_CLOSED)) {
            PolicyDecision d = await(engine.decide(ALICE));
            assertTrue(d.forceRelay());
            assertFalse(d.turnAllowed());
            assertEquals(Bitrate.parse("512k"), d.maxBitrate().orElseThrow());
            assertEquals(4, d.maxAllocations().getAsInt());
            assertEquals(new Provenance("directory", "on_error: fail_closed"), d.provenance().get(PolicyField.FORCE_RELAY));
            assertEquals(new Provenance("directory", "on_error: fail_closed, as rule 'no-turn'"),
                    d.provenance().get(PolicyField.TURN_ALLOWED));
            assertEquals(new Provenance("directory", "on_error: fail_closed, as rule 'slow'"),
                    d.provenance().get(PolicyField.MAX_BITRATE));
        }
        try (var engine = engine(source, OnError.IGNORE)) {
            assertTrue(await(engine.decide(ALICE)).turnAllowed(), "ignore grants what the defaults allow");
        }
    }
}
