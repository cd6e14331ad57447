package dev.tern.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ArgsTest {

    @Test
    void readsValuesFlagsAndDurations() {
        Args args = new Args(new String[] {"--rate", "500", "--json", "--duration=500ms", "--server", "h:1"}, Set.of("json"));
        assertEquals(500, args.integer("rate", 1));
        assertTrue(args.flag("json"));
        assertEquals(Duration.ofMillis(500), args.duration("duration", Duration.ZERO));
        assertEquals(Duration.ofHours(1), new Args(new String[] {"--duration", "1h"}, Set.of())
                .duration("duration", Duration.ZERO));
        assertEquals("h:1", args.string("server", null));
        assertEquals(7, args.integer("allocations", 7));
        args.rejectUnknown();
    }

    @Test
    void rejectsTyposMissingValuesAndBadNumbers() {
        Args typo = new Args(new String[] {"--rtae", "5"}, Set.of());
        typo.integer("rate", 1);
        assertThrows(IllegalArgumentException.class, typo::rejectUnknown);
        assertThrows(IllegalArgumentException.class, () -> new Args(new String[] {"--rate"}, Set.of()));
        assertThrows(IllegalArgumentException.class, () -> new Args(new String[] {"--rate", "x"}, Set.of()).integer("rate", 1));
        assertThrows(IllegalArgumentException.class,
                () -> new Args(new String[] {"--duration", "10d"}, Set.of()).duration("duration", Duration.ZERO));
    }
}
