package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.Secret;
import dev.tern.credentials.rest.TurnRestPassword;
import dev.tern.turn.client.StunResponse;
import dev.tern.turn.client.TurnClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * TURN REST usernames against the real relay over UDP with the default {@code max_validity} (7 days): one
 * made to expire in the year 9999 is refused with 401, day-long ones such as coturn-era fleets issue work.
 */
class CredentialValidityIT {

    private static TurnClient client(RelayFixture relay, long expiry) {
        String username = expiry + ":@alice:tern.test";
        return new TurnClient(relay.address(), Duration.ofSeconds(5))
                .credentials(username, TurnRestPassword.of(Secret.of(RelayFixture.SECRET), username));
    }

    @Test
    void refusesAUsernameExpiringInTheYear9999With401() {
        RecordingListener events = new RecordingListener();
        try (RelayFixture relay = RelayFixture.loopbackPeersAllowed(); TurnClient forever = client(relay,
                253_402_300_799L)) {
            relay.server().addListener(events);
            StunResponse refused = forever.allocate();
            assertEquals(401, refused.errorCode());
            assertTrue(events.events.contains("auth MALFORMED_USERNAME"), events.events.toString());
        }
    }

    @Test
    void acceptsDayLongCredentials() {
        try (RelayFixture relay = RelayFixture.loopbackPeersAllowed(); TurnClient day = client(relay,
                System.currentTimeMillis() / 1000 + 86_400)) {
            StunResponse allocated = day.allocate();
            assertTrue(allocated.success(), "allocate: " + allocated.errorCode());
            assertTrue(day.authentic(allocated));
        }
    }
}
