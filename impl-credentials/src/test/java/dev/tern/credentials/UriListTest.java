package dev.tern.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.Transport;
import dev.tern.spi.TurnUri;
import dev.tern.spi.InvalidSettingException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class UriListTest {

    @ParameterizedTest
    @CsvSource({
        "turn:turn.example.org, turn:turn.example.org, 3478, UDP",
        "turn:turn.example.org:3478?transport=udp, turn:turn.example.org:3478?transport=udp, 3478, UDP",
        "turn:turn.example.org:3478?transport=tcp, turn:turn.example.org:3478?transport=tcp, 3478, TCP",
        "turns:turn.example.org:443?transport=tcp, turns:turn.example.org:443?transport=tcp, 443, TLS",
        "turns:turn.example.org, turns:turn.example.org, 5349, TLS",
        "TURN:203.0.113.7:3478?Transport=UDP, turn:203.0.113.7:3478?transport=udp, 3478, UDP",
        "turn:[2001:db8::1]:3478?transport=udp, turn:[2001:db8::1]:3478?transport=udp, 3478, UDP",
        "turn:[::1], turn:[::1], 3478, UDP",
    })
    void acceptsWhatWebRtcClientsAccept(String text, String canonical, int port, Transport transport) {
        TurnUri uri = TurnUri.parse(text);

        assertEquals(canonical, uri.toString());
        assertEquals(port, uri.effectivePort());
        assertEquals(transport, uri.clientTransport());
        assertEquals(uri, TurnUri.parse(uri.toString()));
    }

    @Test
    void takesTheUriApart() {
        assertEquals(new TurnUri(true, "2001:db8::1", OptionalInt.of(443), Optional.of(Transport.TCP)),
                TurnUri.parse("turns:[2001:db8::1]:443?transport=tcp"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "turn", "stun:turn.example.org", "http://turn.example.org", "turn://turn.example.org:3478",
        "turn:", "turn::3478", "turn:turn.example.org:", "turn:turn.example.org:0", "turn:turn.example.org:65536",
        "turn:turn.example.org:34x", "turn:turn.example.org:3478?transport=sctp", "turn:turn.example.org?foo=bar",
        "turn:turn.example.org:3478?transport=udp&x=y", "turns:turn.example.org:443?transport=udp",
        "turn:2001:db8::1", "turn:[2001:db8::1", "turn:[not-ipv6]:3478", "turn:[2001:db8::1]x",
        "turn:bad_host.example.org", "turn:-bad.example.org", "turn:turn example.org", "turn:user@turn.example.org"})
    void refusesAnythingElseQuotingTheUri(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TurnUri.parse(text));

        assertTrue(e.getMessage().startsWith("'" + text + "' is not a TURN URI"), e.getMessage());
    }

    @Test
    void namesTheBadEntryOfAConfigList() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> UriList.validate(List.of("turn:a.example.org", "turns:b.example.org:443?transport=udp")));

        assertEquals("uris[1]", e.key());
        assertTrue(e.problem().contains("DTLS"), e.problem());
    }

    @Test
    void treatsAnAbsentListAsEmpty() {
        assertEquals(List.of(), UriList.validate(null));
    }
}
