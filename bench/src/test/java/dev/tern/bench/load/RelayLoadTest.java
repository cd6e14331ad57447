package dev.tern.bench.load;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RelayLoadTest {

    private static RelayLoad load(Duration duration) {
        return new RelayLoad(new LoadSettings(new InetSocketAddress("127.0.0.1", 3478), "bench-secret-0123456789",
                "bench", null, 1, 1, 160, duration, false, OptionalLong.empty(), "127.0.0.1"));
    }

    @Test
    void refusesALeadInThatWouldOutliveThePermissionsBeforeAllocatingAnything() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> load(Duration.ofSeconds(200)).run(Duration.ofSeconds(60)));
        assertTrue(e.getMessage().contains("at most 240 s") && e.getMessage().contains("260 s"), e.getMessage());
    }

    @Test
    void refusesANegativeLeadIn() {
        assertThrows(IllegalArgumentException.class, () -> load(Duration.ofSeconds(1)).run(Duration.ofSeconds(-1)));
    }
}
