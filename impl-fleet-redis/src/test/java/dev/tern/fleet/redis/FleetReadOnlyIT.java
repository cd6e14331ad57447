package dev.tern.fleet.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.host.SimpleProviderContext;
import dev.tern.spi.Fleet;
import dev.tern.spi.RelayStatus;
import dev.tern.testing.FreePorts;
import dev.tern.testing.redis.RedisServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Fleet#readLiveRelays()} on a real redis-server (#18 point 4): a fleet that never joined reads the live
 * relays without registering itself, and closing it deregisters nobody, even the relay whose id its config names.
 * The joined relay stops beating once registered (its scheduler is shut down; its key lives 10 s), so a
 * registration it lost would not come back during the test.
 */
class FleetReadOnlyIT {

    @TempDir
    Path dir;

    private RedisServer redis;
    private ScheduledExecutorService scheduler;
    private SimpleProviderContext context;

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start(dir);
        scheduler = Executors.newScheduledThreadPool(1);
        context = SimpleProviderContext.of("example.org", scheduler, dir);
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
        redis.close();
    }

    private Fleet fleet(String uri, String relayId) {
        return fleet(uri, relayId, context);
    }

    private static Fleet fleet(String uri, String relayId, SimpleProviderContext context) {
        return new RedisFleetProvider().create(RedisFleetConfig.builder().uri(uri).namespace("read-only")
                .relayId(relayId).heartbeat(Duration.ofMillis(500)).missedBeats(20).timeout(Duration.ofMillis(500))
                .build(), context);
    }

    private static List<String> ids(List<RelayStatus> relays) {
        return relays.stream().map(RelayStatus::relayId).toList();
    }

    private static List<RelayStatus> read(Fleet fleet) throws Exception {
        return fleet.readLiveRelays().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void aFleetThatNeverJoinedReadsTheLiveRelaysAndClosingItDeregistersNobody() throws Exception {
        ScheduledExecutorService beats = Executors.newScheduledThreadPool(1);
        try (Fleet relay = fleet(redis.uri(), "relay-1", SimpleProviderContext.of("example.org", beats, dir))) {
            relay.join(() -> new RelayStatus("relay-1", List.of(URI.create("turn:127.0.0.1:3478?transport=udp")),
                    RelayStatus.Setup.unknownKey("user"), RelayStatus.Load.IDLE, false, Instant.now()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (relay.liveRelays().isEmpty()) {
                assertTrue(System.nanoTime() < deadline, "relay-1 not registered within 5 s");
                Thread.sleep(20);
            }
            beats.shutdownNow();
            assertTrue(beats.awaitTermination(5, TimeUnit.SECONDS));
            try (Fleet observer = fleet(redis.uri(), "observer")) {
                List<RelayStatus> live = read(observer);
                assertEquals(List.of("relay-1"), ids(live), "the observer is not registered");
                assertEquals(List.of(URI.create("turn:127.0.0.1:3478?transport=udp")), live.get(0).uris());
            }
            // A probe run with the relay's own config carries its relay_id: closing it must not deregister it.
            try (Fleet sameId = fleet(redis.uri(), "relay-1")) {
                assertEquals(List.of("relay-1"), ids(read(sameId)));
            }
            try (Fleet observer = fleet(redis.uri(), "observer")) {
                assertEquals(List.of("relay-1"), ids(read(observer)), "relay-1 still registered");
            }
        }
        try (Fleet observer = fleet(redis.uri(), "observer")) {
            assertEquals(List.of(), read(observer), "relay-1 left the fleet when it closed");
        }
    }

    @Test
    void readingAFleetWhoseRedisIsDownFailsWithTheReason() throws Exception {
        try (Fleet observer = fleet("redis://127.0.0.1:" + FreePorts.udpAndTcp(), "observer")) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> read(observer));
            assertTrue(e.getCause().getMessage().contains("cannot be reached"), e.getCause().toString());
        }
    }
}
