package dev.tern.examples.officehours;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.PolicyField;
import dev.tern.spi.Subject;
import dev.tern.spi.InvalidSettingException;
import dev.tern.spi.PolicyAnswer;
import dev.tern.spi.PolicySourceProvider;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OfficeHoursPolicySourceTest {

    // 2026-11-23 is a Monday.
    private static final OfficeHoursConfig BERLIN = new OfficeHoursConfig("Europe/Berlin", "08:00", "18:00", null);

    @Test
    void doesNotForceRelayDuringOfficeHours() {
        PolicyAnswer answer = answerAt("2026-11-23T09:00:00Z", BERLIN); // 10:00 in Berlin
        assertEquals(false, answer.policy().forceRelay().orElseThrow());
        assertEquals(OfficeHoursPolicySource.OPEN_RULE, answer.rules().get(PolicyField.FORCE_RELAY));
    }

    @Test
    void forcesRelayBeforeOpeningAfterClosingAndAtTheWeekend() {
        assertForced(answerAt("2026-11-23T06:59:59Z", BERLIN)); // 07:59:59 local
        assertForced(answerAt("2026-11-23T17:00:00Z", BERLIN)); // 18:00 local: closed
        assertForced(answerAt("2026-11-28T11:00:00Z", BERLIN)); // Saturday noon
    }

    @Test
    void readsTheClockInTheConfiguredZone() {
        // 07:30 UTC is 08:30 in Berlin (open) but before opening in UTC.
        assertFalse(answerAt("2026-11-23T07:30:00Z", BERLIN).policy().forceRelay().orElseThrow());
        assertTrue(answerAt("2026-11-23T07:30:00Z", new OfficeHoursConfig(null, null, null, null))
                .policy().forceRelay().orElseThrow());
    }

    @Test
    void answersTheSameForEveryoneAndServerWide() {
        OfficeHoursPolicySource source = new OfficeHoursPolicySource(BERLIN,
                Clock.fixed(Instant.parse("2026-11-28T11:00:00Z"), ZoneOffset.UTC));
        PolicyAnswer serverWide = source.evaluateServerWide().toCompletableFuture().join();
        assertEquals(serverWide, source.evaluate(Subject.guest("@g:example.org")).toCompletableFuture().join());
        assertForced(serverWide);
    }

    @Test
    void refusesBadSettingsNamingTheKey() {
        assertEquals("time_zone", assertThrows(InvalidSettingException.class,
                () -> new OfficeHoursConfig("Mars/Olympus", null, null, null)).key());
        assertEquals("opens", assertThrows(InvalidSettingException.class,
                () -> new OfficeHoursConfig(null, "8am", null, null)).key());
        assertEquals("closes", assertThrows(InvalidSettingException.class,
                () -> new OfficeHoursConfig(null, "18:00", "08:00", null)).key());
        assertEquals("days", assertThrows(InvalidSettingException.class,
                () -> new OfficeHoursConfig(null, null, null, Set.of())).key());
    }

    @Test
    void defaultsToWeekdaysEightToSixUtc() {
        OfficeHoursConfig defaults = new OfficeHoursConfig(null, null, null, null);
        assertEquals("UTC", defaults.timeZone());
        assertEquals(Set.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY,
                DayOfWeek.FRIDAY), defaults.days());
    }

    @Test
    void isFoundByServiceLoader() {
        assertTrue(ServiceLoader.load(PolicySourceProvider.class).stream()
                .anyMatch(p -> p.get() instanceof OfficeHoursProvider provider && provider.type().equals("office-hours")));
    }

    private static PolicyAnswer answerAt(String instant, OfficeHoursConfig config) {
        return new OfficeHoursPolicySource(config, Clock.fixed(Instant.parse(instant), ZoneOffset.UTC))
                .evaluate(Subject.user("@alice:example.org")).toCompletableFuture().join();
    }

    private static void assertForced(PolicyAnswer answer) {
        assertEquals(true, answer.policy().forceRelay().orElseThrow());
        assertEquals(OfficeHoursPolicySource.CLOSED_RULE, answer.rules().get(PolicyField.FORCE_RELAY));
    }
}
