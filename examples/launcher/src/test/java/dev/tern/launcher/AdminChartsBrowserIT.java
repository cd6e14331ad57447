package dev.tern.launcher;

import dev.tern.admin.AdminConfig;
import dev.tern.admin.AdminServer;
import dev.tern.admin.CallTestPage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.spi.PolicyEvaluator;
import dev.tern.spi.Secret;
import dev.tern.api.Tern;
import dev.tern.fleet.redis.RedisFleetConfig;
import dev.tern.fleet.redis.RedisFleetProvider;
import dev.tern.spi.Fleet;
import dev.tern.spi.RelayStatus;
import dev.tern.host.SimpleProviderContext;
import dev.tern.testing.browser.PlaywrightScript;
import dev.tern.testing.redis.RedisServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin page's live charts and fleet table (#18 point 7) in headless Chromium (tern-admin's
 * {@code src/test/node/admin-charts.js}; here rather than in tern-admin, whose tests cannot depend on tern-fleet-redis,
 * whose own tests use tern-admin):
 * two relays of a real Redis fleet (Debian's redis-server, started here) report their figures by heartbeat; the
 * admin server of the first samples the fleet's live relays into its history; the page draws, for each relay, one
 * point per sample of {@code /admin/api/history} in both charts, at the values the relays reported, and its fleet
 * table lists both relays. Saves {@code target/admin-charts.png}.
 */
class AdminChartsBrowserIT {

    private static final Secret ADMIN_TOKEN = Secret.of("admin-token-for-the-charts-test-0123");
    private static final Path SCREENSHOT = Path.of("target", "admin-charts.png").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void chartsDrawEachRelaysSamplesAndTheFleetTableListsTheRelays() throws Exception {
        PlaywrightScript script = PlaywrightScript.in(Path.of("..", "..", "adapters", "admin").resolve(CallTestPage.SCRIPT_DIRECTORY), "admin-charts.js");
        Files.deleteIfExists(SCREENSHOT);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        SimpleProviderContext context = SimpleProviderContext.of("tern.test", scheduler, dir);
        RelayStatus one = status("relay-one", "turn:127.0.0.1:3478?transport=udp", 2, 128_000, false);
        RelayStatus two = status("relay-two", "turn:127.0.0.1:3479?transport=udp", 5, 64_000, true);
        try (RedisServer redis = RedisServer.start(Files.createDirectories(dir.resolve("redis")));
                Fleet first = fleet(redis, "relay-one", context);
                Fleet second = fleet(redis, "relay-two", context)) {
            first.join(() -> one);
            second.join(() -> two);
            // The first sample is taken when the admin server starts: once the relays see each other (bounded).
            for (long deadline = System.nanoTime() + 10_000_000_000L;
                    first.liveRelays().size() < 2 && System.nanoTime() < deadline; ) {
                Thread.sleep(100);
            }
            Tern tern = Tern.builder().policy(PolicyEvaluator.PERMISSIVE).fleet(first).build();
            try (AdminServer admin = AdminServer.start(AdminConfig.of("http://127.0.0.1:0", ADMIN_TOKEN), tern,
                    new dev.tern.admin.metrics.PrometheusMetrics(), Clock.systemUTC())) {
                PlaywrightScript.Run run = script.run(List.of(admin.uri().toString(), SCREENSHOT.toString(),
                        PlaywrightScript.chromium().toString()), Map.of("TERN_ADMIN_TOKEN", ADMIN_TOKEN.reveal(),
                        "TERN_RELAYS", "relay-one,relay-two", "TERN_MIN_POINTS", "2"), Duration.ofSeconds(90));
                String out = run.output();
                assertEquals(0, run.exitCode(), "the page did not draw the charts:\n" + out);
                JsonNode result = new ObjectMapper().readTree(out.substring(out.indexOf("{\"finished\"")).strip());
                JsonNode history = result.get("history");
                JsonNode shown = result.get("shown");
                assertEquals("", shown.get("apiError").asText(), out);
                assertEquals(5, history.get("interval_seconds").asInt(), out);

                // Each chart draws exactly the history's samples, at the values the relays reported by heartbeat.
                assertEquals(points(history, "allocations"), drawn(shown.get("allocations")), out);
                assertEquals(points(history, "bits_per_second"), drawn(shown.get("bitrate")), out);
                for (JsonNode p : shown.get("allocations")) {
                    assertEquals(p.get("relay").asText().equals("relay-one") ? 2 : 5, p.get("value").asInt(), out);
                }
                for (JsonNode p : shown.get("bitrate")) {
                    assertEquals(p.get("relay").asText().equals("relay-one") ? 128_000 : 64_000, p.get("value").asLong(),
                            out);
                }
                // A larger value is drawn higher (smaller y): relay-two has more allocations, relay-one more bits.
                assertTrue(y(shown.get("allocations"), "relay-two") < y(shown.get("allocations"), "relay-one"), out);
                assertTrue(y(shown.get("bitrate"), "relay-one") < y(shown.get("bitrate"), "relay-two"), out);
                assertEquals(2, shown.get("allocationLines").size(), out);

                // The fleet table: relay id, URIs, plane, allocations, bit rate, draining, last seen.
                Set<String> rows = new HashSet<>();
                for (JsonNode row : shown.get("fleet")) {
                    rows.add(row.get(0).asText() + " | " + row.get(1).asText() + " | " + row.get(2).asText() + " | "
                            + row.get(3).asText() + " | " + row.get(4).asText() + " | " + row.get(5).asText());
                    assertTrue(!row.get(6).asText().isBlank(), out);
                }
                assertEquals(Set.of(
                        "relay-one | turn:127.0.0.1:3478?transport=udp | user | 2 | 128.0 kbit/s | no",
                        "relay-two | turn:127.0.0.1:3479?transport=udp | user | 5 | 64.0 kbit/s | yes"), rows, out);
                assertTrue(!out.contains("foreign request"), "the page fetches nothing but its own origin:\n" + out);
                assertTrue(Files.size(SCREENSHOT) > 1000, "screenshot missing: " + SCREENSHOT);
            }
        } finally {
            scheduler.shutdownNow();
        }
    }

    private static Fleet fleet(RedisServer redis, String relayId, SimpleProviderContext context) {
        return new RedisFleetProvider().create(RedisFleetConfig.builder().uri(redis.uri())
                .namespace("charts-test").relayId(relayId).build(), context);
    }

    private static RelayStatus status(String id, String uri, int allocations, long bps, boolean draining) {
        return new RelayStatus(id, List.of(URI.create(uri)), RelayStatus.Setup.unknownKey("user"),
                new RelayStatus.Load(0, allocations, bps), draining, java.time.Instant.now());
    }

    /** relay, at, value of every sample in the history. */
    private static Set<String> points(JsonNode history, String field) {
        Set<String> points = new HashSet<>();
        for (JsonNode relay : history.get("relays")) {
            for (JsonNode s : relay.get("samples")) {
                points.add(relay.get("relay_id").asText() + " " + s.get("at").asText() + " " + s.get(field).asLong());
            }
        }
        assertTrue(points.size() >= 4, "two samples of two relays at least: " + history);
        return points;
    }

    private static Set<String> drawn(JsonNode circles) {
        List<String> points = new ArrayList<>();
        for (JsonNode c : circles) {
            points.add(c.get("relay").asText() + " " + c.get("at").asText() + " " + c.get("value").asLong());
        }
        assertEquals(points.size(), new HashSet<>(points).size(), "no point drawn twice: " + points);
        return new HashSet<>(points);
    }

    private static double y(JsonNode circles, String relay) {
        for (JsonNode c : circles) {
            if (c.get("relay").asText().equals(relay)) {
                return c.get("y").asDouble();
            }
        }
        throw new AssertionError("no point of " + relay + " in " + circles);
    }
}
