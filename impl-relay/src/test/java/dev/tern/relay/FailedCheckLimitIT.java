package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.PolicyEvaluator;
import dev.tern.spi.TurnCredentials;
import dev.tern.turn.client.StunResponse;
import dev.tern.turn.client.TurnClient;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Online password guessing against the real relay over UDP: wrong passwords are answered 401 until the
 * username's allowance is used up, then every request for it gets the same 401 unchecked, the right password
 * included, and is counted as TOO_MANY_FAILURES; clients that authenticate are never counted or refused.
 */
class FailedCheckLimitIT {

    private static RelayConfig config(int perUsername, int perAddress) {
        return RelayConfig.builder(RelayFixture.REALM)
                .listen("udp://127.0.0.1:0")
                .ports("40000-60000")
                .allowedPeers("127.0.0.1")
                .threads(2)
                .failedAuthLimit(new RelayConfig.FailedAuthLimit(perUsername, perAddress, Duration.ofHours(1), 1000))
                .build();
    }

    private static TurnClient guesser(RelayFixture relay, TurnCredentials target, String password) {
        return new TurnClient(relay.address(), Duration.ofSeconds(5)).credentials(target.username(), password);
    }

    @Test
    void aGuessedUsernameIsAnsweredUncheckedOnceItsAllowanceIsUsed() {
        RecordingListener events = new RecordingListener();
        try (RelayFixture relay = RelayFixture.start(config(5, 1000), PolicyEvaluator.PERMISSIVE)) {
            relay.server().addListener(events);
            TurnCredentials alice = relay.credentials("@alice:tern.test");
            for (int i = 0; i < 5; i++) {
                try (TurnClient guess = guesser(relay, alice, "guess-" + i)) {
                    assertEquals(401, guess.allocate().errorCode());
                }
            }
            assertEquals(5, Collections.frequency(events.events, "auth BAD_INTEGRITY"));
            try (TurnClient guess = guesser(relay, alice, "guess-6")) {
                StunResponse refused = guess.allocate();
                assertEquals(401, refused.errorCode());
                assertTrue(refused.challenge().realm().isPresent() && refused.challenge().nonce().isPresent(),
                        "the usual challenge");
            }
            try (TurnClient right = guesser(relay, alice, alice.password())) {
                assertEquals(401, right.allocate().errorCode(), "the right guess learns nothing either");
            }
            assertEquals(5, Collections.frequency(events.events, "auth BAD_INTEGRITY"), "no more checks");
            assertEquals(2, Collections.frequency(events.events, "auth TOO_MANY_FAILURES"));

            try (TurnClient bob = relay.client("@bob:tern.test")) {
                assertTrue(bob.allocate().success(), "other usernames from the same address go on");
            }
        }
    }

    @Test
    void clientsThatAuthenticateAreNeverCountedOrRefused() {
        RecordingListener events = new RecordingListener();
        try (RelayFixture relay = RelayFixture.start(config(1, 1), PolicyEvaluator.PERMISSIVE);
                TurnClient alice = relay.client("@alice:tern.test")) {
            relay.server().addListener(events);
            assertTrue(alice.allocate().success());
            for (int i = 0; i < 200; i++) {
                StunResponse refreshed = alice.refresh(600);
                assertTrue(refreshed.success(), "refresh " + i + ": " + refreshed.errorCode());
            }
            assertFalse(events.events.stream().anyMatch(e -> e.startsWith("auth ") && !e.equals(
                    "auth MISSING_CREDENTIALS")), events.events.toString());
        }
    }

    @Test
    void anAddressIsAnsweredUncheckedOnceItsAllowanceIsUsed() {
        try (RelayFixture relay = RelayFixture.start(config(1000, 3), PolicyEvaluator.PERMISSIVE)) {
            for (String user : List.of("@a:tern.test", "@b:tern.test", "@c:tern.test")) {
                try (TurnClient guess = guesser(relay, relay.credentials(user), "wrong")) {
                    assertEquals(401, guess.allocate().errorCode());
                }
            }
            try (TurnClient dave = relay.client("@dave:tern.test")) {
                assertEquals(401, dave.allocate().errorCode(), "a right password from that address is not checked");
            }
        }
    }
}
