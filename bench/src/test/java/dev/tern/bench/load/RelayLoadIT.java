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
        assertEquals(4, r.allocationsOk());
        assertEquals(0, r.allocationsFailed());
        assertTrue(r.sent() >= 300, "sent " + r.sent());
        assertTrue(r.received() >= r.sent() * 99 / 100, r.toText());
        assertTrue(r.peerReceived() >= r.received(), r.toText());
        assertTrue(r.rttP50Micros() > 0 && r.rttMaxMicros() >= r.rttP99Micros(), r.toText());
        assertTrue(r.serverCpuSeconds() >= 0 && r.cpuMicrosPerRelayedPacket() >= 0, r.toText());
        // coturn and the generator run here: both sides' sockets are found, and a light load drops nothing.
        assertEquals(0, r.serverSocketDrops(), r.toText());
        assertEquals(0, r.generatorSocketDrops(), r.toText());
        assertTrue(r.generatorCpuShare() > 0 && r.generatorCpuShare() < 1, r.toText());
    }

    @Test
    void measuresOnlyWhatIsSentAfterTheLeadIn() throws Exception {
        // 4 allocations x 50 packets/s: 200 in the 1 s lead-in, 400 in the 2 s measured after it.
        LoadResult r = new RelayLoad(settings(SECRET, false)).run(Duration.ofSeconds(1));
        assertTrue(r.sent() >= 380 && r.sent() <= 420, "sent in the measured 2 s: " + r.sent());
        assertTrue(r.received() >= r.sent() * 99 / 100 && r.received() <= r.sent(), r.toText());
        assertTrue(Math.abs(r.peerReceived() - r.sent()) <= 8, r.toText());
    }

    @Test
    void relaysOverSendAndDataIndications() throws Exception {
        LoadResult r = new RelayLoad(settings(SECRET, true)).run();
        assertEquals(4, r.allocationsOk());
        assertTrue(r.received() >= r.sent() * 99 / 100 && r.sent() >= 300, r.toText());
    }

    @Test
    void reportsFailedAllocationsWithAWrongSecret() throws Exception {
        LoadResult r = new RelayLoad(settings("not-the-secret-0123456789", false)).run();
        assertEquals(0, r.allocationsOk());
        assertEquals(4, r.allocationsFailed());
        assertEquals(0, r.received());
    }
}
