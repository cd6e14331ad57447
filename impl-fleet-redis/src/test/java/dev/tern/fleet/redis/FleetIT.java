package dev.tern.fleet.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.admin.http.ReadinessCheck;
import dev.tern.turn.client.StunResponse;
import dev.tern.turn.client.TurnClient;
import dev.tern.spi.MetricsRecorder;
import dev.tern.spi.RelayStatus;
import dev.tern.testing.redis.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three relays on loopback sharing one real redis-server (#18 points 1, 2, 3, 6): registration, the fleet-wide
 * quota, revocation, and Redis going away and coming back.
 */
class FleetIT {

    private static final String ALICE = "@alice:example.org";

    @TempDir
    Path dir;

    private RedisServer redis;
    private final List<AutoCloseable> closing = new java.util.ArrayList<>();

    @BeforeEach
    void startRedis() throws Exception {
        redis = RedisServer.start(dir);
    }

    @AfterEach
    void stopAll() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        redis.close();
    }

    private FleetRelay relay(String id) throws Exception {
        FleetRelay relay = FleetRelay.start(dir, id, "uri: \"" + redis.uri() + "\", namespace: it");
        closing.add(relay);
        return relay;
    }

    private TurnClient client(FleetRelay relay, String user) {
        return client(relay, user, Instant.now().plus(Duration.ofHours(1)));
    }

    private TurnClient client(FleetRelay relay, String user, Instant expiry) {
        TurnClient c = relay.client(user, expiry);
        closing.add(c);
        return c;
    }

    @Test
    void relaysRegisterAndTheQuotaHoldsAcrossThem() throws Exception {
        FleetRelay r1 = relay("relay-1");
        FleetRelay r2 = relay("relay-2");
        FleetRelay r3 = relay("relay-3");
        await("three live relays", Duration.ofSeconds(5), () -> r3.fleet().liveRelays().size() == 3);
        RelayStatus one = r3.fleet().liveRelays().get(0);
        assertEquals("relay-1", one.relayId());
        assertEquals("turn:127.0.0.1:" + r1.relay().listenAddresses().get(0).getPort() + "?transport=udp",
                one.uris().get(0).toString());

        assertTrue(client(r1, ALICE).allocate().success());
        assertTrue(client(r2, ALICE).allocate().success());
        StunResponse third = client(r3, ALICE).allocate();
        assertEquals(486, third.errorCode(), "max_allocations 2 counts the allocations on the other relays");
        assertTrue(client(r3, "@bob:example.org").allocate().success(), "another user is not affected");

        // A relay that leaves gives its users' leases back at once; the third Allocate now fits.
        r1.close();
        closing.remove(r1);
        await("relay-1 gone", Duration.ofSeconds(10), () -> r3.fleet().liveRelays().stream()
                .noneMatch(r -> r.relayId().equals("relay-1")));
        assertTrue(client(r3, ALICE).allocate().success());
    }

    @Test
    void leasesOfARelayWhoseHeartbeatStoppedNoLongerCount() throws Exception {
        FleetRelay r1 = relay("relay-1");
        // A relay that died without deregistering: its lease stays, its registration key is gone (TTL ran out).
        try (RedisClient client = RedisClient.create(redis.uri());
                StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().hset("it:leases:" + ALICE, "dead-relay|udp/127.0.0.1/1", "dead-relay");
            c.sync().hset("it:leases:" + ALICE, "dead-relay|udp/127.0.0.1/2", "dead-relay");
            await("relay-1 registered", Duration.ofSeconds(5), () -> c.sync().exists("it:relay:relay-1") == 1);
            long ttl = c.sync().pttl("it:relay:relay-1");
            assertTrue(ttl > 0 && ttl <= 600, "registration expires after 3 beats of 200 ms: " + ttl);
            assertTrue(client(r1, ALICE).allocate().success());
            assertTrue(client(r1, ALICE).allocate().success());
            assertEquals(List.of("relay-1"), c.sync().hvals("it:leases:" + ALICE).stream().distinct().toList(),
                    "the dead relay's leases were dropped");
        }
    }

    @Test
    void revocationRefusesOnEveryRelayWithinTwoSecondsAndClosesLiveAllocations() throws Exception {
        FleetRelay r1 = relay("relay-1");
        FleetRelay r2 = relay("relay-2");
        FleetRelay r3 = relay("relay-3");
        await("three live relays", Duration.ofSeconds(5), () -> r1.fleet().liveRelays().size() == 3);
        // Credentials issued before the revocation: their expiry is at most revocation time + lifetime (1h).
        Instant issuedBefore = Instant.now().plus(Duration.ofHours(1));
        TurnClient a1 = client(r1, ALICE, issuedBefore);
        TurnClient a2 = client(r2, ALICE, issuedBefore);
        assertTrue(a1.allocate().success());
        assertTrue(a2.allocate().success());
        TurnClient bob = client(r1, "@bob:example.org");
        assertTrue(bob.allocate().success());

        long start = System.nanoTime();
        r3.tern().revoke(ALICE).toCompletableFuture().get();
        await("alice's allocations closed", Duration.ofSeconds(2), () ->
                r1.relay().allocations().stream().noneMatch(a -> a.owner().userId().equals(ALICE))
                        && r2.relay().allocations().stream().noneMatch(a -> a.owner().userId().equals(ALICE)));
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(2).toNanos());
        assertEquals(401, a1.refresh(600).errorCode(), "credentials issued before the revocation are refused");
        assertEquals(401, client(r2, ALICE, issuedBefore).allocate().errorCode());
        assertEquals(401, client(r3, ALICE, issuedBefore).allocate().errorCode());
        assertTrue(bob.refresh(600).success(), "other users keep their allocations");
        // Credentials issued after the revocation (their expiry is later than revocation + lifetime) work.
        Instant later = Instant.now().plus(Duration.ofHours(1)).plusSeconds(5);
        assertTrue(client(r2, ALICE, later).allocate().success());
    }

    @Test
    void relayingGoesOnWhileRedisIsDownAndTheFleetRecoversWhenItReturns() throws Exception {
        FleetRelay r1 = relay("relay-1");
        await("registered", Duration.ofSeconds(5), () -> r1.fleet().liveRelays().size() == 1
                && r1.fleet().health().up());
        TurnClient before = client(r1, ALICE);
        assertTrue(before.allocate().success());

        redis.kill();
        await("degraded", Duration.ofSeconds(3), () -> !r1.fleet().health().up());
        assertFalse(r1.fleet().health().detail().contains(String.valueOf(redis.port())), "no address in the detail");
        assertTrue(before.refresh(600).success(), "the live allocation goes on");
        TurnClient during = client(r1, ALICE);
        assertTrue(during.allocate().success(), "allocating goes on with the local quota");
        assertEquals(486, client(r1, ALICE).allocate().errorCode(), "the local quota still holds");
        ReadinessCheck readiness = new ReadinessCheck(r1.tern(), MetricsRecorder.NONE, Clock.systemUTC(),
                Duration.ofSeconds(2));
        ReadinessCheck.Readiness down = readiness.check();
        assertEquals("degraded", down.status(), down.toString());
        assertTrue(down.checks().get("fleet").startsWith("degraded: Redis "), down.toString());

        redis.restart(); // empty, as after a crash
        await("re-registered", Duration.ofSeconds(8), () -> r1.fleet().health().up()
                && r1.fleet().liveRelays().size() == 1);
        assertEquals("ready", readiness.check().status());
        try (RedisClient client = RedisClient.create(redis.uri());
                StatefulRedisConnection<String, String> c = client.connect()) {
            await("leases re-published", Duration.ofSeconds(3), () -> c.sync().hlen("it:leases:" + ALICE) == 2);
        }
    }

    static void await(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + limit + ": " + what);
            }
            Thread.sleep(20);
        }
    }
}
