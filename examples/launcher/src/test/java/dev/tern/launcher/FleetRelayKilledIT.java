package dev.tern.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Injector;
import dev.tern.spi.Secret;
import dev.tern.api.Tern;
import dev.tern.config.ConfigLoader;
import dev.tern.credentials.rest.TurnRestPassword;
import dev.tern.guice.TernInjector;
import dev.tern.guice.TernLifecycle;
import dev.tern.turn.client.TurnClient;
import dev.tern.spi.Fleet;
import dev.tern.testing.FreePorts;
import dev.tern.testing.redis.RedisServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * #18 point 1 and 2 with a real crash: a launcher process in a fleet on a real redis-server is killed with SIGKILL
 * (no deregistration, no lease given back); within 10 s another relay no longer lists it and the dead relay's
 * leases no longer count against the user's fleet-wide {@code max_allocations}.
 */
class FleetRelayKilledIT {

    private static final String SECRET = "fleet-kill-secret-0123456789";
    private static final String ALICE = "@alice:example.org";

    @TempDir
    Path dir;

    private Path config(String id, int relayPort, String redisUri) throws Exception {
        return Files.writeString(dir.resolve(id + ".yaml"), """
                server_name: example.org
                credentials: { type: rest, secrets: ["%s"], uris: ["turn:127.0.0.1:3478"] }
                policy: { defaults: { max_allocations: 2 } }
                relay: { type: netty, realm: example.org, listen: ["udp://127.0.0.1:%d"], ports: %s, threads: 1,
                         data_plane: user }
                fleet: { type: redis, uri: "%s", relay_id: %s, heartbeat: 500ms, missed_beats: 3 }
                """.formatted(SECRET, relayPort, FreePorts.relayRange(20), redisUri, id));
    }

    private static TurnClient client(int port) {
        String username = Instant.now().plus(Duration.ofHours(1)).getEpochSecond() + ":" + ALICE;
        return new TurnClient(new InetSocketAddress(FreePorts.LOOPBACK, port), Duration.ofSeconds(2))
                .credentials(username, TurnRestPassword.of(Secret.of(SECRET), username));
    }

    @Test
    void aKilledRelayLeavesTheFleetAndItsLeasesAreFree() throws Exception {
        try (RedisServer redis = RedisServer.start(dir)) {
            int killedPort = FreePorts.udpAndTcp();
            Injector observer = TernInjector.create(ConfigLoader.standard().load(config("observer", 0, redis.uri())));
            observer.getInstance(TernLifecycle.class).start();
            Fleet fleet = observer.getInstance(Fleet.class);
            int observerPort = observer.getInstance(Tern.class).relay().orElseThrow().listenAddresses().get(0).getPort();
            try (ServingLauncher killed = ServingLauncher.start(dir, List.of(), List.of("--config",
                    config("killed", killedPort, redis.uri()).toString()), killedPort, 0, 0);
                    TurnClient a1 = client(killedPort); TurnClient a2 = client(killedPort);
                    TurnClient a3 = client(observerPort); TurnClient a4 = client(observerPort)) {
                await("both relays live", () -> fleet.liveRelays().size() == 2);
                assertTrue(a1.allocate().success());
                assertTrue(a2.allocate().success());
                assertEquals(486, a3.allocate().errorCode(), "two allocations on the other relay already");

                killed.process().destroyForcibly().waitFor();
                long killedAt = System.nanoTime();
                await("the killed relay gone", () -> fleet.liveRelays().stream()
                        .noneMatch(r -> r.relayId().equals("killed")));
                assertTrue(a4.allocate().success(), "its leases no longer count");
                assertTrue(System.nanoTime() - killedAt < Duration.ofSeconds(10).toNanos());
            } finally {
                observer.getInstance(TernLifecycle.class).stop();
            }
        }
    }

    @Test
    void credentialsRevokeReachesTheFleet() throws Exception {
        try (RedisServer redis = RedisServer.start(dir)) {
            Injector relay = TernInjector.create(ConfigLoader.standard().load(config("relay", 0, redis.uri())));
            relay.getInstance(TernLifecycle.class).start();
            try {
                Fleet fleet = relay.getInstance(Fleet.class);
                await("registered", () -> fleet.liveRelays().size() == 1);
                Path cliConfig = Files.writeString(dir.resolve("cli.yaml"), """
                        server_name: example.org
                        credentials: { type: rest, secrets: ["%s"] }
                        fleet: { type: redis, uri: "%s" }
                        """.formatted(SECRET, redis.uri()));
                Cli run = Cli.run("credentials", "revoke", ALICE, "--config", cliConfig.toString());
                assertEquals(0, run.exitCode(), run.toString());
                assertTrue(run.out().contains("revoked " + ALICE), run.toString());
                await("the relay knows", () -> fleet.revokedAt(ALICE).isPresent());
            } finally {
                relay.getInstance(TernLifecycle.class).stop();
            }
        }
        Path alone = Files.writeString(dir.resolve("alone.yaml"), "server_name: example.org\n");
        Cli run = Cli.run("credentials", "revoke", ALICE, "--config", alone.toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("revocation needs a fleet store"), run.toString());
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within 10 s: " + what);
            Thread.sleep(20);
        }
    }
}
