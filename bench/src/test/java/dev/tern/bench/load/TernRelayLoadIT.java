package dev.tern.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Smoke run of the load generator against Tern's relay in its own JVM, as {@code compare} starts it. */
@Timeout(90)
class TernRelayLoadIT {

    private static final String SECRET = "bench-smoke-secret-0123456789";

    @Test
    void relaysTimestampedPacketsThroughTernsRelayProcess() throws Exception {
        try (TernRelayProcess relay = TernRelayProcess.start(SECRET, 1, List.of("-Xmx256m"), List.of(),
                RelayUnderTest.RELAY_PORTS)) {
            LoadSettings settings = LoadSettings.builder()
                    .server(relay.address())
                    .secret(SECRET)
                    .user("smoke")
                    .allocations(4)
                    .rate(50)
                    .size(160)
                    .duration(Duration.ofSeconds(2))
                    .serverPid(OptionalLong.of(relay.pid()))
                    .peerHost("127.0.0.1")
                    .build();
            LoadResult r = new RelayLoad(settings).run();
            LoadResult.Packets packets = r.packets();
            assertEquals(4, r.allocations().ok(), r.toText());
            assertTrue(packets.sent() >= 300 && packets.received() >= packets.sent() * 99 / 100, r.toText());
            assertTrue(r.serverCpu().serverCpuSeconds() > 0, r.toText());
        }
    }
}
