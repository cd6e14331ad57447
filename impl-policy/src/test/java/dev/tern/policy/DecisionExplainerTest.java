package dev.tern.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tern.spi.Bitrate;
import dev.tern.spi.PolicyDecision;
import dev.tern.spi.PolicyField;
import dev.tern.spi.Provenance;
import dev.tern.spi.Subject;
import dev.tern.spi.Transport;
import dev.tern.spi.TurnPolicy;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DecisionExplainerTest {

    private static final Provenance RULES = new Provenance("rules", "outside-office");

    private final PolicyDecision decision = new PolicyDecision(TurnPolicy.builder().forceRelay(true).turnAllowed(true)
            .maxBitrate(Bitrate.parse("2M")).transports(Set.of(Transport.TLS, Transport.UDP))
            .maxCredentialLifetime(Duration.ofHours(12)).build(),
            Map.of(PolicyField.FORCE_RELAY, RULES, PolicyField.TURN_ALLOWED, Provenance.DEFAULTS,
                    PolicyField.MAX_BITRATE, RULES, PolicyField.TRANSPORTS, new Provenance("ldap", "group staff"),
                    PolicyField.MAX_CREDENTIAL_LIFETIME, Provenance.DEFAULTS));

    @Test
    void printsEveryFieldWithValueSourceAndRule() throws Exception {
        String text = new DecisionExplainer().explain(Subject.user("@alice:example.org")
                .withRemoteAddress(InetAddress.getByName("198.51.100.7")), decision);
        assertEquals("""
                Policy for @alice:example.org from 198.51.100.7
                  force_relay              true       rules / outside-office
                  turn_allowed             true       defaults / policy.defaults
                  guests_allowed           true       (not set by any source or default)
                  max_allocations          unlimited  (not set by any source or default)
                  max_bitrate              2M         rules / outside-office
                  transports               udp, tls   ldap / group staff
                  max_credential_lifetime  12h        defaults / policy.defaults
                """, text);
    }

    @Test
    void serverWideTitleSaysWhatTheWellKnownPublishes() {
        String text = new DecisionExplainer().explainServerWide(PolicyDecision.PERMISSIVE);
        assertEquals("Server-wide policy (published as im.vector.riot.forceTurn: false)", text.lines().findFirst()
                .orElseThrow());
        assertEquals(new ExplainedField(PolicyField.MAX_ALLOCATIONS, "unlimited", Optional.empty()),
                new DecisionExplainer().fields(PolicyDecision.PERMISSIVE).get(3));
    }
}
