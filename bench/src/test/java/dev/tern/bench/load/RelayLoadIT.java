package dev.tern.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Smoke runs of the load generator against coturn on loopback: delivery, not speed. */
@Timeout(60)
class RelayLoadIT {

    private static final String SECRET = "bench-smoke-secret-0123456789";
    private static Coturn coturn;

    @BeforeAll
    static void startCoturn() throws Exception {
        coturn = Coturn.start(SECRET);
    }

    @AfterAll
    static void stopCoturn() throws Exception {
        if (coturn != null) {
            coturn.close();
        }
    }

    private static LoadSettings settings(String secret, boolean sendIndications) {
        return LoadSettings.builder()
                .server(coturn.address())
                .secret(secret)
                .user("smoke")
                .allocations(4)
                .rate(50)
                .size(160)
                .duration(Duration.ofSeconds(2))
                .sendIndications(sendIndications)
                .serverPid(OptionalLong.of(coturn.pid()))
                .peerHost("127.0.0.1")
                .build();
    }

    @Test
    void relaysTimestampedPacketsOverChannelsThroughCoturn() throws Exception {
        LoadResult r = new RelayLoad(settings(SECRET, false)).run();
        LoadResult.Packets packets = r.packets();
        assertEquals(4, r.allocations().ok());
        assertEquals(0, r.allocations().failed());
        assertTrue(packets.sent() >= 300, "sent " + packets.sent());
        assertTrue(packets.received() >= packets.sent() * 99 / 100, r.toText());
        assertTrue(packets.peerReceived() >= packets.received(), r.toText());
        assertTrue(r.rtt().p50Micros() > 0 && r.rtt().maxMicros() >= r.rtt().p99Micros(), r.toText());
        assertTrue(r.serverCpu().serverCpuSeconds() >= 0 && r.serverCpu().cpuMicrosPerRelayedPacket() >= 0, r.toText());
        // coturn and the generator run here: both sides' sockets are found, and a light load drops nothing.
        assertEquals(0, r.generator().serverSocketDrops(), r.toText());
        assertEquals(0, r.generator().generatorSocketDrops(), r.toText());
        assertTrue(r.generator().generatorCpuShare() > 0 && r.generator().generatorCpuShare() < 1, r.toText());
    }

    @Test
    void measuresOnlyWhatIsSentAfterTheLeadIn() throws Exception {
        // 4 allocations x 50 packets/s: 200 in the 1 s lead-in, 400 in the 2 s measured after it.
        LoadResult r = new RelayLoad(settings(SECRET, false)).run(Duration.ofSeconds(1));
        LoadResult.Packets packets = r.packets();
        assertTrue(packets.sent() >= 380 && packets.sent() <= 420, "sent in the measured 2 s: " + packets.sent());
        assertTrue(packets.received() >= packets.sent() * 99 / 100 && packets.received() <= packets.sent(), r.toText());
        assertTrue(Math.abs(packets.peerReceived() - packets.sent()) <= 8, r.toText());
    }

    @Test
    void relaysOverSendAndDataIndications() throws Exception {
        LoadResult r = new RelayLoad(settings(SECRET, true)).run();
        LoadResult.Packets packets = r.packets();
        assertEquals(4, r.allocations().ok());
        assertTrue(packets.received() >= packets.sent() * 99 / 100 && packets.sent() >= 300, r.toText());
    }

    @Test
    void reportsFailedAllocationsWithAWrongSecret() throws Exception {
        LoadResult r = new RelayLoad(settings("not-the-secret-0123456789", false)).run();
        LoadResult.Packets packets = r.packets();
        assertEquals(0, r.allocations().ok());
        assertEquals(4, r.allocations().failed());
        assertEquals(0, packets.received());
    }
}
