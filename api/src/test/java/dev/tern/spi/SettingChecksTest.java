package dev.tern.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SettingChecksTest {

    @Test
    void leftOutSettingTakesItsDefault() {
        assertEquals(Duration.ofSeconds(5), SettingChecks.positive("t", null, Duration.ofSeconds(5)));
        assertEquals(Duration.ofSeconds(5), SettingChecks.within("t", null, Duration.ofSeconds(5), Duration.ZERO,
                Duration.ofHours(1)));
        assertEquals(7, SettingChecks.within("n", null, 7, 0, 10));
        assertNull(SettingChecks.atLeast("n", null, 1));
        assertNull(SettingChecks.positive("t", null, null));
    }

    @Test
    void acceptsTheEndsOfTheRange() {
        assertEquals(Duration.ZERO, SettingChecks.within("t", Duration.ZERO, Duration.ofSeconds(5), Duration.ZERO,
                Duration.ofHours(1)));
        assertEquals(Duration.ofHours(1), SettingChecks.within("t", Duration.ofHours(1), Duration.ofSeconds(5),
                Duration.ZERO, Duration.ofHours(1)));
        assertEquals(10, SettingChecks.within("n", 10, 7, 0, 10));
        assertEquals(1, SettingChecks.atLeast("n", 1, 1));
        assertEquals(Duration.ofMillis(1), SettingChecks.positive("t", Duration.ofMillis(1), Duration.ofSeconds(5)));
    }

    @Test
    void refusesZeroOrNegativeDurationNamingKeyAndExample() {
        InvalidSettingException zero = assertThrows(InvalidSettingException.class,
                () -> SettingChecks.positive("cache_ttl", Duration.ZERO, Duration.ofMinutes(5)));
        assertEquals("cache_ttl", zero.key());
        assertEquals("must be positive, like 5m", zero.problem());
        InvalidSettingException negative = assertThrows(InvalidSettingException.class,
                () -> SettingChecks.positive("max_credential_lifetime", Duration.ofSeconds(-1), null));
        assertEquals("max_credential_lifetime: must be positive", negative.getMessage());
    }

    @Test
    void refusesDurationOutsideRangeInConfigSpelling() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> SettingChecks.within(
                "heartbeat", Duration.ofMillis(10), Duration.ofSeconds(1), Duration.ofMillis(100),
                Duration.ofMinutes(1)));
        assertEquals("heartbeat: must be between 100ms and 1m, like 1s", e.getMessage());
        assertThrows(InvalidSettingException.class, () -> SettingChecks.within("t", Duration.ofMinutes(61),
                Duration.ofSeconds(5), Duration.ZERO, Duration.ofHours(1)));
    }

    @Test
    void refusesNumberOutsideRange() {
        assertEquals("max_redirects: must be between 0 and 20, like 5", assertThrows(InvalidSettingException.class,
                () -> SettingChecks.within("max_redirects", 21, 5, 0, 20)).getMessage());
        assertThrows(InvalidSettingException.class, () -> SettingChecks.within("max_redirects", -1, 5, 0, 20));
        assertEquals("threads: must be at least 1", assertThrows(InvalidSettingException.class,
                () -> SettingChecks.atLeast("threads", 0, 1)).getMessage());
    }

    @Test
    void spellsDurationsAsConfigWritesThem() {
        assertEquals("0s", SettingChecks.spell(Duration.ZERO));
        assertEquals("500ms", SettingChecks.spell(Duration.ofMillis(500)));
        assertEquals("1h30m", SettingChecks.spell(Duration.ofMinutes(90)));
        assertEquals("366d", SettingChecks.spell(Duration.ofDays(366)));
        assertEquals("PT-1S", SettingChecks.spell(Duration.ofSeconds(-1)));
    }
}
