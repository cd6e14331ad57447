package dev.tern.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.PolicyDecision;
import dev.tern.spi.PolicyEvaluator;
import dev.tern.spi.PolicyField;
import dev.tern.spi.Provenance;
import dev.tern.spi.Subject;
import dev.tern.spi.TurnCredentials;
import dev.tern.spi.TurnPolicy;
import dev.tern.spi.CredentialIssuer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TernTest {

    private static final CredentialIssuer FIXED = (subject, cap) -> new TurnCredentials("u:" + subject.userId(), "p",
            List.of("turn:turn.example.org"), cap.compareTo(Duration.ofHours(1)) < 0 ? cap : Duration.ofHours(1));

    private static PolicyEvaluator evaluatorOf(TurnPolicy policy) {
        return PolicyEvaluator.answering(new PolicyDecision(policy, provenanceFor(policy)));
    }

    private static Map<PolicyField, Provenance> provenanceFor(TurnPolicy policy) {
        var map = new java.util.EnumMap<PolicyField, Provenance>(PolicyField.class);
        for (PolicyField f : PolicyField.values()) {
            f.valueIn(policy).ifPresent(v -> map.put(f, new Provenance("test", "rule")));
        }
        return map;
    }

    @Test
    void answersNotConfiguredWithoutIssuer() {
        Tern tern = Tern.builder().build();
        assertInstanceOf(CredentialsOutcome.NotConfigured.class,
                tern.credentialsFor(Subject.user("@alice:example.org")).toCompletableFuture().join());
    }

    @Test
    void refusesGuestsWhenPolicyDeniesThem() {
        Tern tern = Tern.builder().issuer(FIXED)
                .policy(evaluatorOf(TurnPolicy.builder().guestsAllowed(false).build())).build();
        var outcome = tern.credentialsFor(Subject.guest("@g:example.org")).toCompletableFuture().join();
        assertEquals(CredentialsOutcome.Reason.GUESTS_NOT_ALLOWED,
                assertInstanceOf(CredentialsOutcome.Refused.class, outcome).reason());
        assertInstanceOf(CredentialsOutcome.Issued.class,
                tern.credentialsFor(Subject.user("@a:example.org")).toCompletableFuture().join());
    }

    @Test
    void refusesWhenTurnNotAllowed() {
        Tern tern = Tern.builder().issuer(FIXED)
                .policy(evaluatorOf(TurnPolicy.builder().turnAllowed(false).build())).build();
        var outcome = tern.credentialsFor(Subject.user("@a:example.org")).toCompletableFuture().join();
        assertEquals(CredentialsOutcome.Reason.TURN_NOT_ALLOWED,
                assertInstanceOf(CredentialsOutcome.Refused.class, outcome).reason());
    }

    @Test
    void capsCredentialLifetimeByPolicy() {
        Tern tern = Tern.builder().issuer(FIXED)
                .policy(evaluatorOf(TurnPolicy.builder().maxCredentialLifetime(Duration.ofMinutes(5)).build())).build();
        var issued = assertInstanceOf(CredentialsOutcome.Issued.class,
                tern.credentialsFor(Subject.user("@a:example.org")).toCompletableFuture().join());
        assertEquals(Duration.ofMinutes(5), issued.credentials().ttl());
    }

    @Test
    void publishesForceTurnOnlyWhenServerWidePolicyForces() {
        Tern forced = Tern.builder().policy(evaluatorOf(TurnPolicy.builder().forceRelay(true).build())).build();
        assertEquals(Map.of("im.vector.riot.forceTurn", true), forced.wellKnownFragment().toCompletableFuture().join());
        assertTrue(Tern.builder().build().wellKnownFragment().toCompletableFuture().join().isEmpty());
    }

    @Test
    void credentialsNeverShowPasswordInToString() {
        var creds = new TurnCredentials("1:@a:b", "hunter2", List.of(), Duration.ofHours(1));
        assertTrue(!creds.toString().contains("hunter2"));
    }
}
