package dev.tern.policy.ldap;

import dev.tern.spi.MetricsRecorder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.testing.Poll;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import dev.tern.spi.PolicyDecision;
import dev.tern.spi.PolicyField;
import dev.tern.spi.Provenance;
import dev.tern.spi.Secret;
import dev.tern.spi.Subject;
import dev.tern.spi.TurnPolicy;
import dev.tern.spi.GroupMembership;
import dev.tern.policy.PolicyEngine;
import dev.tern.policy.PolicySettings;
import dev.tern.host.ConfiguredPolicySource;
import dev.tern.spi.PolicyAnswer;
import dev.tern.spi.PolicySourceSettings;
import dev.tern.spi.PolicySourceSettings.OnError;
import dev.tern.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LdapPolicySourceIT {

    private static final LdapRule STAFF = new LdapRule("staff-relay", "staff", null, null,
            PolicySettings.builder().forceRelay(true).build());
    private static final LdapRule CONTRACTORS = new LdapRule("contractors", null, "employeeType", List.of("contractor"),
            PolicySettings.builder().turnAllowed(false).build());
    private static final LdapRule NESTED = new LdapRule(null, "cn=relay-forced,ou=groups,dc=example,dc=org", null,
            null, PolicySettings.builder().forceRelay(true).maxAllocations(2).build());

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private TestDirectory directory;

    @BeforeEach
    void startDirectory() throws Exception {
        directory = new TestDirectory();
    }

    @AfterEach
    void stopDirectory() {
        directory.close();
        scheduler.shutdownNow();
    }

    private LdapSourceConfig config(String bindDn, String password, GroupSearch groupSearch, List<LdapRule> rules) {
        return LdapSourceConfig.builder()
                .url(directory.url())
                .bindDn(bindDn)
                .bindPassword(password == null ? null : Secret.of(password))
                .baseDn("ou=people,dc=example,dc=org")
                .groupSearch(groupSearch)
                .rules(rules)
                .poolSize(2)
                .connectTimeout(Duration.ofSeconds(5))
                .responseTimeout(Duration.ofSeconds(5))
                .cacheTtl(Duration.ofMinutes(5))
                .negativeCacheTtl(Duration.ofMinutes(1))
                .refreshAfter(Duration.ofMinutes(2))
                .serverNames(List.of("example.org"))
                .build();
    }

    private LdapSourceConfig config(List<LdapRule> rules) {
        return config("cn=tern,ou=services,dc=example,dc=org", "bind-secret", null, rules);
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void mapsGroupsAndAttributeValuesToPolicyFields() throws Exception {
        try (var source = new LdapPolicySource(config(List.of(STAFF, CONTRACTORS)), clock)) {
            PolicyAnswer alice = await(source.evaluate(Subject.user("@alice:example.org")));
            assertEquals(PolicyAnswer.byRule("staff-relay", TurnPolicy.builder().forceRelay(true).build()), alice);
            PolicyAnswer bob = await(source.evaluate(Subject.user("@bob:example.org")));
            assertEquals(Map.of(PolicyField.TURN_ALLOWED, "contractors"), bob.rules(),
                    "attribute values compare without case");
            assertEquals(PolicyAnswer.NONE, await(source.evaluate(Subject.user("@nobody:example.org"))));
            assertEquals(PolicyAnswer.NONE, await(source.evaluateServerWide()));
            assertTrue(await(source.groupsOf(Subject.user("@alice:example.org"))).contains("staff"));
        }
    }

    @Test
    void groupSearchFollowsNestedGroupsOnlyAsDeepAsConfigured() throws Exception {
        var nested = new GroupSearch("ou=groups,dc=example,dc=org", null, 1);
        try (var source = new LdapPolicySource(config(null, null, nested, List.of(NESTED)), clock)) {
            GroupMembership carol = await(source.groupsOf(Subject.user("@carol:example.org")));
            assertEquals(Set.of("cn=security,ou=groups,dc=example,dc=org", "cn=relay-forced,ou=groups,dc=example,dc=org"),
                    carol.dns());
            PolicyAnswer answer = await(source.evaluate(Subject.user("@carol:example.org")));
            assertEquals("group cn=relay-forced,ou=groups,dc=example,dc=org",
                    answer.rules().get(PolicyField.FORCE_RELAY));
        }
        var direct = new GroupSearch("ou=groups,dc=example,dc=org", "(member={dn})", 0);
        try (var source = new LdapPolicySource(config(null, null, direct, List.of(NESTED)), clock)) {
            assertEquals(PolicyAnswer.NONE, await(source.evaluate(Subject.user("@carol:example.org"))));
        }
    }

    @Test
    void localpartCannotWidenTheUserSearch() throws Exception {
        LdapRule anyoneWithAType = new LdapRule("typed", null, "employeeType", null,
                PolicySettings.builder().maxAllocations(1).build());
        try (var source = new LdapPolicySource(config(List.of(anyoneWithAType)), clock)) {
            assertEquals(1, await(source.evaluate(Subject.user("@alice:example.org"))).policy().maxAllocations()
                    .getAsInt(), "the rule matches real users");
            assertEquals(PolicyAnswer.NONE, await(source.evaluate(Subject.user("@*)(uid=*:example.org"))),
                    "the injection matches nobody");
            assertEquals(PolicyAnswer.NONE, await(source.evaluate(Subject.user("@*:example.org"))));
        }
        LdapSourceConfig byUserId = LdapSourceConfig.builder()
                .url(directory.url())
                .baseDn("ou=people,dc=example,dc=org")
                .userFilter("(&(objectClass=inetOrgPerson)(uid={localpart})(cn=*{server}*))")
                .build();
        var lookup = new LdapUserLookup(byUserId, null);
        assertEquals("(&(objectClass=inetOrgPerson)(uid=\\2a\\29\\28uid=\\2a)(cn=*example.org*))",
                lookup.userFilter(Subject.user("@*)(uid=*:example.org")));
    }

    @Test
    void wrongBindPasswordFailsTheLookup() {
        try (var source = new LdapPolicySource(config("cn=tern,ou=services,dc=example,dc=org", "wrong", null,
                List.of(STAFF)), clock)) {
            var e = assertThrows(ExecutionException.class, () -> await(source.evaluate(Subject.user("@alice:example.org"))));
            assertFalse(String.valueOf(e.getCause().getMessage()).contains("wrong"), "no password in messages");
        }
    }

    @Test
    void cachesFoundAndUnknownUsersForTheirOwnTimes() throws Exception {
        try (var source = new LdapPolicySource(config(List.of(STAFF)), clock)) {
            await(source.evaluate(Subject.user("@alice:example.org")));
            await(source.evaluate(Subject.user("@alice:example.org")));
            await(source.groupsOf(Subject.user("@alice:example.org")));
            await(source.evaluate(Subject.user("@ghost:example.org")));
            await(source.evaluate(Subject.user("@ghost:example.org")));
            assertEquals(2, directory.userSearches.get());
            waitFor(() -> source.cachedFor("@alice:example.org").isPresent()
                    && source.cachedFor("@ghost:example.org").isPresent());

            clock.advance(Duration.ofSeconds(61)); // past negative_cache_ttl, before refresh_after
            await(source.evaluate(Subject.user("@alice:example.org")));
            await(source.evaluate(Subject.user("@ghost:example.org")));
            assertEquals(3, directory.userSearches.get(), "only the unknown user is looked up again");
        }
    }

    @Test
    void refreshesAheadWithoutMakingTheReaderWait() throws Exception {
        try (var source = new LdapPolicySource(config(List.of(STAFF)), clock)) {
            Subject alice = Subject.user("@alice:example.org");
            assertEquals(true, await(source.evaluate(alice)).policy().forceRelay().orElseThrow());
            waitFor(() -> source.cachedFor(alice.userId()).isPresent());
            directory.server.modify("uid=alice,ou=people,dc=example,dc=org",
                    new Modification(ModificationType.DELETE, "memberOf"));
            clock.advance(Duration.ofMinutes(3)); // past refresh_after, before cache_ttl
            directory.stick();
            assertEquals(true, await(source.evaluate(alice)).policy().forceRelay().orElseThrow(),
                    "the cached answer is served while the directory is slow");
            directory.unstick();
            waitFor(() -> {
                try {
                    return await(source.evaluate(alice)).policy().isEmpty();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
        }
    }

    @ParameterizedTest
    @EnumSource(OnError.class)
    void directoryGoingAwayIsHandledByOnError(OnError onError) throws Exception {
        var source = new LdapPolicySource(config(List.of(STAFF, CONTRACTORS)), clock);
        var settings = new PolicySourceSettings("directory", onError, Duration.ofSeconds(10));
        try (var engine = new PolicyEngine(TurnPolicy.builder().forceRelay(false).turnAllowed(true).build(),
                List.of(new ConfiguredPolicySource(settings, source)), clock, scheduler, MetricsRecorder.NONE)) {
            Subject bob = Subject.user("@bob:example.org");
            assertFalse(await(engine.decide(bob)).turnAllowed());
            waitFor(() -> source.cachedFor(bob.userId()).isPresent());

            directory.server.shutDown(true);
            clock.advance(Duration.ofMinutes(6)); // past cache_ttl: the source must ask the directory
            PolicyDecision d = await(engine.decide(bob));
            switch (onError) {
                case FAIL_CLOSED -> {
                    assertTrue(d.forceRelay());
                    assertEquals(new Provenance("directory", "on_error: fail_closed"),
                            d.provenance().get(PolicyField.FORCE_RELAY));
                    assertFalse(d.turnAllowed(), "a rule of the source refuses TURN, so fail_closed refuses it");
                    assertEquals(new Provenance("directory", "on_error: fail_closed, as rule 'contractors'"),
                            d.provenance().get(PolicyField.TURN_ALLOWED));
                }
                case LAST_KNOWN -> {
                    assertFalse(d.turnAllowed());
                    assertEquals("contractors (last known, on_error: last_known)",
                            d.provenance().get(PolicyField.TURN_ALLOWED).rule());
                    assertFalse(d.forceRelay());
                }
                case IGNORE -> {
                    assertTrue(d.turnAllowed());
                    assertFalse(d.forceRelay());
                    assertEquals(Provenance.DEFAULTS, d.provenance().get(PolicyField.TURN_ALLOWED));
                }
            }
        }
    }

    @Test
    void slowDirectoryIsCutOffAtTheSourceTimeout() throws Exception {
        var source = new LdapPolicySource(config(List.of(STAFF)), clock);
        var settings = new PolicySourceSettings("directory", OnError.FAIL_CLOSED, Duration.ofMillis(300));
        try (var engine = new PolicyEngine(TurnPolicy.EMPTY, List.of(new ConfiguredPolicySource(settings, source)),
                clock, scheduler, MetricsRecorder.NONE)) {
            directory.stick();
            PolicyDecision d = await(engine.decide(Subject.user("@bob:example.org")));
            assertEquals(new Provenance("directory", "on_error: fail_closed"), d.provenance().get(PolicyField.FORCE_RELAY));
        } finally {
            directory.unstick();
        }
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        Poll.until("the condition", Duration.ofSeconds(20), condition);
    }
}
