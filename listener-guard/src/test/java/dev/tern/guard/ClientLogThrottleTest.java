package dev.tern.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link ClientLogThrottle}: one line per key and interval with its count, bounded keys. */
class ClientLogThrottleTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void writesTheFirstLineThenOnePerIntervalCountingWhatItStandsFor() {
        ClientLogThrottle throttle = new ClientLogThrottle(clock, Duration.ofMinutes(1), 16);
        assertEquals(Optional.of(new ClientLogThrottle.Line("192.0.2.1", 1)), throttle.admit("192.0.2.1"));
        for (int i = 0; i < 2999; i++) {
            assertEquals(Optional.empty(), throttle.admit("192.0.2.1"));
        }
        assertEquals(Optional.of(new ClientLogThrottle.Line("192.0.2.2", 1)), throttle.admit("192.0.2.2"),
                "another key has its own line");
        assertEquals(Optional.of(new ClientLogThrottle.Line("192.0.2.1", 1)), throttle.admit("other-kind", "192.0.2.1"),
                "another kind of line has its own window");
        clock.advance(Duration.ofSeconds(60));
        assertEquals(Optional.of(new ClientLogThrottle.Line("192.0.2.1", 3000)), throttle.admit("192.0.2.1"));
        assertEquals(Optional.empty(), throttle.admit("192.0.2.1"));
    }

    @Test
    void keysBeyondTheBoundShareOneLine() {
        ClientLogThrottle throttle = new ClientLogThrottle(clock, Duration.ofMinutes(1), 4);
        for (int i = 0; i < 4; i++) {
            assertTrue(throttle.admit("2001:db8::" + i).isPresent());
        }
        assertEquals(Optional.of(new ClientLogThrottle.Line(ClientLogThrottle.OTHER_KEYS, 1)),
                throttle.admit("2001:db8::100"));
        for (int i = 101; i < 10_000; i++) {
            assertEquals(Optional.empty(), throttle.admit("2001:db8::" + Integer.toHexString(i)),
                    "rotating addresses buy no line");
        }
        assertTrue(throttle.trackedKeys() <= 5, "memory stays bounded: " + throttle.trackedKeys());
        clock.advance(Duration.ofMinutes(2));
        assertTrue(throttle.admit("2001:db8::ffff").isPresent(), "quiet keys made room again");
    }
}
