package dev.tern.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.AllocationView;
import dev.tern.spi.DataPlaneStatus;
import dev.tern.spi.RelayListener;
import dev.tern.spi.RelayServer;
import dev.tern.spi.RelayStatus;
import dev.tern.testing.MutableClock;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class RelayStatusSamplerTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final CountingRelay relay = new CountingRelay();
    private final RelayStatusSampler sampler = new RelayStatusSampler(relay, clock);
    private final List<URI> uris = List.of(URI.create("turn:relay.example.org:3478?transport=udp"));

    @Test
    void firstSampleReportsNoRate() {
        relay.userBytes = 1_000_000;
        RelayStatus first = sampler.sample("r1", uris, false);
        assertEquals(0, first.load().relayedBitsPerSecond());
        assertEquals("r1", first.relayId());
        assertEquals(uris, first.uris());
        assertEquals("kernel", first.dataPlane());
        assertEquals(clock.instant(), first.seenAt());
        assertFalse(first.draining());
    }

    @Test
    void rateCountsBothPlanesInBitsPerSecondSincePreviousSample() {
        sampler.sample("r1", uris, false);
        relay.userBytes += 500_000;
        relay.kernelBytes += 750_000;
        clock.advance(Duration.ofSeconds(10));
        assertEquals(1_000_000, sampler.sample("r1", uris, true).load().relayedBitsPerSecond());
        clock.advance(Duration.ofSeconds(10));
        RelayStatus idle = sampler.sample("r1", uris, true);
        assertEquals(0, idle.load().relayedBitsPerSecond());
        assertTrue(idle.draining());
    }

    @Test
    void counterGoingBackReadsAsZeroNotNegative() {
        relay.userBytes = 10_000;
        sampler.sample("r1", uris, false);
        relay.userBytes = 0;
        clock.advance(Duration.ofSeconds(1));
        assertEquals(0, sampler.sample("r1", uris, false).load().relayedBitsPerSecond());
    }

    @Test
    void sampleInTheSameMillisecondDoesNotDivideByZero() {
        sampler.sample("r1", uris, false);
        relay.userBytes = 1;
        assertEquals(8000, sampler.sample("r1", uris, false).load().relayedBitsPerSecond());
    }

    /** A relay whose only state is its byte counters: what the sampler reads. */
    private static final class CountingRelay implements RelayServer {
        long userBytes;
        long kernelBytes;

        @Override
        public DataPlaneStatus dataPlane() {
            return new DataPlaneStatus(RelayListener.Plane.KERNEL, "test", new DataPlaneStatus.Carried(0, userBytes),
                    new DataPlaneStatus.Carried(0, kernelBytes));
        }

        @Override
        public CompletionStage<Void> start() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> drain(Duration grace) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> stop() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public List<InetSocketAddress> listenAddresses() {
            return List.of();
        }

        @Override
        public List<URI> listenUris() {
            return List.of();
        }

        @Override
        public List<AllocationView> allocations() {
            return List.of();
        }

        @Override
        public void addListener(RelayListener listener) {
        }
    }
}
