package dev.tern.policy.wellknown;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CacheControlTest {

    private static Optional<Duration> maxAge(String header) {
        return CacheControl.maxAge(Optional.ofNullable(header));
    }

    @Test
    void readsMaxAgeAndTreatsNoCacheAsZero() {
        assertEquals(Optional.of(Duration.ofSeconds(300)), maxAge("public, max-age=300"));
        assertEquals(Optional.of(Duration.ofSeconds(60)), maxAge("Max-Age=\"60\""));
        assertEquals(Optional.of(Duration.ZERO), maxAge("no-store, max-age=600"));
        assertEquals(Optional.of(Duration.ZERO), maxAge("no-cache"));
        assertEquals(Optional.empty(), maxAge("max-age=soon"));
        assertEquals(Optional.empty(), maxAge("public"));
        assertEquals(Optional.empty(), maxAge(null));
    }

    @Test
    void clampsBetweenFloorAndCeiling() {
        Duration floor = Duration.ofMinutes(1);
        Duration ceiling = Duration.ofHours(1);
        assertEquals(floor, CacheControl.clamp(Duration.ZERO, floor, ceiling));
        assertEquals(Duration.ofMinutes(5), CacheControl.clamp(Duration.ofMinutes(5), floor, ceiling));
        assertEquals(ceiling, CacheControl.clamp(Duration.ofDays(1), floor, ceiling));
    }
}
