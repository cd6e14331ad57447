package dev.tern.bench.load;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RelayLoadTest {

    private static RelayLoad load(Duration duration) {
        return new RelayLoad(LoadSettings.builder()
                .server(new InetSocketAddress("127.0.0.1", 3478))
                .secret("bench-secret-0123456789")
                .user("bench")
                .allocations(1)
                .rate(1)
                .size(160)
                .duration(duration)
                .peerHost("127.0.0.1")
                .build());
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
