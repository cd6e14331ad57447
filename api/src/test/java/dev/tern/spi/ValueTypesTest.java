package dev.tern.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ValueTypesTest {

    @Test
    void parsesBitratesWithSiSuffixes() {
        assertEquals(512_000, Bitrate.parse("512k").bitsPerSecond());
        assertEquals(2_000_000, Bitrate.parse("2M").bitsPerSecond());
        assertEquals(1_500_000, Bitrate.parse("1.5M").bitsPerSecond());
        assertEquals(64_000, Bitrate.parse("64000").bitsPerSecond());
        assertEquals("2M", Bitrate.parse("2000k").toString());
    }

    @Test
    void refusesBadBitrateNamingTheText() {
        var e = assertThrows(IllegalArgumentException.class, () -> Bitrate.parse("fast"));
        assertTrue(e.getMessage().contains("'fast'"));
        assertThrows(IllegalArgumentException.class, () -> Bitrate.parse("-1k"));
    }

    @Test
    void subjectSplitsUserId() {
        Subject s = Subject.user("@alice:example.org");
        assertEquals("alice", s.localpart());
        assertEquals("example.org", s.serverName());
        assertThrows(IllegalArgumentException.class, () -> Subject.user("alice"));
        assertThrows(IllegalArgumentException.class, () -> Subject.user("@alice:"));
    }

    @Test
    void secretNeverPrintsItself() {
        Secret s = Secret.of("topsecret");
        assertEquals("****", s.toString());
        assertEquals(Secret.of("topsecret"), s);
        assertFalse(s.equals(Secret.of("other")));
    }

    @Test
    void decisionRequiresProvenanceForEveryAnsweredField() {
        TurnPolicy p = TurnPolicy.builder().forceRelay(true).build();
        assertThrows(IllegalArgumentException.class, () -> new PolicyDecision(p, Map.of()));
        var d = new PolicyDecision(p, Map.of(PolicyField.FORCE_RELAY, new Provenance("file", "staff")));
        assertTrue(d.forceRelay());
        assertTrue(d.turnAllowed());
    }

    @Test
    void refusesEmptyTransportSet() {
        assertThrows(IllegalArgumentException.class,
                () -> TurnPolicy.builder().transports(java.util.Set.of()).build());
    }
}
