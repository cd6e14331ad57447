package dev.tern.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Injector;
import dev.tern.admin.metrics.PrometheusMetrics;
import dev.tern.config.ConfigLoader;
import dev.tern.fleet.redis.RedisFleetConfig;
import dev.tern.fleet.redis.RedisFleetProvider;
import dev.tern.guice.TernInjector;
import dev.tern.guice.TernLifecycle;
import dev.tern.host.SimpleProviderContext;
import dev.tern.spi.Fleet;
import dev.tern.spi.RelayStatus;
import dev.tern.testing.FreePorts;
import dev.tern.testing.redis.RedisServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tern probe --fleet} (#18 point 4) against two in-process relays registered in a real redis-server: both
 * reported ok; one stopped (it deregisters) and no longer listed; a registered relay whose port is closed reported
 * failed with exit status 1; relays on different nonce keys reported by the probe and
 * {@code tern_fleet_nonce_key_mismatch}; and the mistakes (no fleet section, Redis down, no live relay, URI and --fleet
 * together) each told.
 */
class ProbeFleetIT {

    private static final String SECRET = "probe-fleet-secret-0123456789abcdef";

    @TempDir
    Path dir;

    private Injector relay(String id, String redisUri) throws Exception {
        return relay(id, redisUri, "");
    }

    /** A relay with more keys in its relay section ({@code relayKeys}: YAML flow entries each ending in a comma). */
    private Injector relay(String id, String redisUri, String relayKeys) throws Exception {
        Path file = Files.writeString(dir.resolve(id + ".yaml"), """
                server_name: example.org
                credentials: { type: rest, secrets: ["%s"] }
                relay: { type: netty, realm: example.org, listen: ["udp://127.0.0.1:0"], ports: %s, threads: 1, %s
                         data_plane: user, allowed_peers: ["127.0.0.1"] }
                fleet: { type: redis, uri: "%s", namespace: probe, relay_id: %s, heartbeat: 200ms, missed_beats: 3 }
                """.formatted(SECRET, FreePorts.relayRange(20), relayKeys, redisUri, id));
        Injector injector = TernInjector.create(ConfigLoader.standard().load(file));
        injector.getInstance(TernLifecycle.class).start();
        return injector;
    }

    /** The probe's config: the fleet section only, with relay one's id (a probe run with a relay's own config). */
    private Path probeConfig(String redisUri) throws Exception {
        return Files.writeString(dir.resolve("probe.yaml"), """
                server_name: example.org
                fleet: { type: redis, uri: "%s", namespace: probe, relay_id: one }
                """.formatted(redisUri));
    }

    private static Cli probe(Path config, String... more) {
        List<String> args = new ArrayList<>(List.of("probe", "--fleet", "--config", config.toString(), "--secret",
                SECRET));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    private static boolean reported(Cli run, String id, String status) {
        return Pattern.compile("(?m)^  " + Pattern.quote(id) + " +turn:127\\.0\\.0\\.1:\\d+\\?transport=udp +"
                + status + " +rtt +\\d+ ms ").matcher(run.out()).find();
    }

    @Test
    void probesEveryLiveRelayAndFailsForOneThatDoesNotAnswer() throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (RedisServer redis = RedisServer.start(dir)) {
            Injector one = relay("one", redis.uri());
            Injector two = relay("two", redis.uri());
            try {
                Path config = probeConfig(redis.uri());
                Fleet view = one.getInstance(Fleet.class);
                await("both relays registered", () -> view.liveRelays().size() == 2);

                Cli both = probe(config);
                assertEquals(0, both.exitCode(), both.toString());
                assertTrue(both.out().contains("Probing 2 live relays"), both.toString());
                assertTrue(reported(both, "one", "ok") && reported(both, "two", "ok"), both.toString());
                assertTrue(both.out().contains("Relaying works on every relay."), both.toString());
                assertFalse(both.out().contains(SECRET), "the secret is never printed");

                two.getInstance(TernLifecycle.class).stop();
                Cli left = probe(config);
                assertEquals(0, left.exitCode(), left.toString());
                assertTrue(reported(left, "one", "ok"), left.toString());
                assertFalse(left.out().contains("  two "), "a stopped relay deregisters:\n" + left);

                int closed = FreePorts.udpAndTcp();
                try (Fleet ghost = new RedisFleetProvider().create(RedisFleetConfig.builder().uri(redis.uri())
                        .namespace("probe").relayId("ghost").heartbeat(Duration.ofMillis(200)).build(),
                        SimpleProviderContext.of("example.org", scheduler, dir))) {
                    ghost.join(() -> new RelayStatus("ghost", List.of(URI.create("turn:127.0.0.1:" + closed
                            + "?transport=udp")), RelayStatus.Setup.unknownKey("user"), RelayStatus.Load.IDLE, false,
                            Instant.now()));
                    await("the ghost registered", () -> view.liveRelays().stream()
                            .anyMatch(r -> r.relayId().equals("ghost")));
                    Cli failed = probe(config, "--timeout", "300ms");
                    assertEquals(1, failed.exitCode(), failed.toString());
                    assertTrue(reported(failed, "one", "ok"), failed.toString());
                    assertTrue(reported(failed, "ghost", "FAILED"), failed.toString());
                    assertTrue(failed.out().contains("binding: no answer from 127.0.0.1:" + closed), failed.toString());
                    assertTrue(failed.out().contains("Relaying does not work on 1 of 2 relays."), failed.toString());
                }
                assertTrue(view.liveRelays().stream().anyMatch(r -> r.relayId().equals("one")),
                        "probing with relay one's relay_id left relay one registered");
            } finally {
                one.getInstance(TernLifecycle.class).stop();
                two.getInstance(TernLifecycle.class).stop();
            }
            Cli none = probe(probeConfig(redis.uri()));
            assertEquals(1, none.exitCode(), none.toString());
            assertTrue(none.out().contains("No live relay is registered"), none.toString());
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void reportsRelaysOnAnotherNonceKeyInTheProbeAndTheMetric() throws Exception {
        try (RedisServer redis = RedisServer.start(dir)) {
            Injector one = relay("one", redis.uri(), "nonce_key: \"nonce-key-one-0123456789abcdef\",");
            Injector two = relay("two", redis.uri(), "nonce_key: \"nonce-key-two-0123456789abcdef\",");
            Injector three = relay("three", redis.uri(), "nonce_key: \"nonce-key-one-0123456789abcdef\",");
            try {
                Fleet view = one.getInstance(Fleet.class);
                PrometheusMetrics metrics = new PrometheusMetrics();
                FleetMetrics.register(metrics, view);
                await("three relays registered", () -> view.liveRelays().size() == 3);
                assertTrue(metrics.scrape().contains("tern_fleet_nonce_key_mismatch 1"), metrics.scrape());

                Cli run = probe(probeConfig(redis.uri()));
                assertEquals(1, run.exitCode(), run.toString());
                assertTrue(run.out().contains("Relaying works on every relay."), run.toString());
                assertTrue(Pattern.compile("(?m)^  two +[0-9a-f]{16} +configured +ANOTHER KEY$").matcher(run.out())
                        .find(), run.toString());
                assertTrue(Pattern.compile("(?m)^  one +[0-9a-f]{16} +configured +$").matcher(run.out()).find(),
                        run.toString());
                assertTrue(run.out().contains("Relay two uses another nonce key than the others: 300 Try Alternate "
                        + "will fail for browsers."), run.toString());
                assertFalse(run.out().contains("nonce-key-"), "a key is never printed");

                two.getInstance(TernLifecycle.class).stop();
                await("relay two gone", () -> view.liveRelays().size() == 2);
                assertTrue(metrics.scrape().contains("tern_fleet_nonce_key_mismatch 0"), metrics.scrape());
            } finally {
                one.getInstance(TernLifecycle.class).stop();
                two.getInstance(TernLifecycle.class).stop();
                three.getInstance(TernLifecycle.class).stop();
            }
        }
    }

    @Test
    void saysWhyItCannotListTheFleet() throws Exception {
        Cli down = probe(probeConfig("redis://127.0.0.1:" + FreePorts.udpAndTcp()));
        assertEquals(1, down.exitCode(), down.toString());
        assertTrue(down.err().contains("Cannot list the fleet's relays") && down.err().contains("cannot be reached"),
                down.toString());

        Path alone = Files.writeString(dir.resolve("alone.yaml"), "server_name: example.org\n");
        Cli noFleet = probe(alone);
        assertEquals(1, noFleet.exitCode(), noFleet.toString());
        assertTrue(noFleet.err().contains("has no fleet section"), noFleet.toString());

        assertEquals(2, Cli.run("probe", "--fleet", "turn:127.0.0.1:3478", "--secret", SECRET).exitCode(),
                "a URI and --fleet together");
        assertEquals(2, Cli.run("probe", "--secret", SECRET).exitCode(), "neither a URI nor --fleet");
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within 10 s: " + what);
            Thread.sleep(20);
        }
    }
}
