package dev.tern.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationTextTest {

    @Test
    void parsesEveryConfigSpelling() {
        assertEquals(Duration.ofMillis(500), DurationText.parse("500ms"));
        assertEquals(Duration.ofSeconds(90), DurationText.parse("90s"));
        assertEquals(Duration.ofMinutes(10), DurationText.parse("10m"));
        assertEquals(Duration.ofHours(1), DurationText.parse("1h"));
        assertEquals(Duration.ofDays(1), DurationText.parse("1d"));
        assertEquals(Duration.ofMinutes(90), DurationText.parse("1h30m"));
        assertEquals(Duration.ofSeconds(3600), DurationText.parse("3600"));
        assertEquals(Duration.ofHours(1), DurationText.parse("PT1H"));
        assertEquals(Duration.ofSeconds(90), DurationText.parse(" 90S "));
    }

    @Test
    void refusesWhatIsNotADuration() {
        for (String bad : new String[] {"", "5 minutes", "-2s", "1x", "h", "1.5h", "PT", "99999999999999999999s"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DurationText.parse(bad),
                    bad);
            assertEquals(DurationText.EXPECTED, e.getMessage());
        }
    }

    @Test
    void formatsInTheShortestConfigSpellingThatParsesBack() {
        for (String text : new String[] {"1h", "90s", "1h30m", "500ms", "1d", "0s", "2d3h4m5s6ms"}) {
            String formatted = DurationText.format(DurationText.parse(text));
            assertEquals(DurationText.parse(text), DurationText.parse(formatted), text);
        }
        assertEquals("1m30s", DurationText.format(Duration.ofSeconds(90)));
        assertEquals("1h", DurationText.format(Duration.ofMinutes(60)));
    }
}
