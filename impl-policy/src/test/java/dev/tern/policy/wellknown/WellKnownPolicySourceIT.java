package dev.tern.policy.wellknown;

import dev.tern.spi.MetricsRecorder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tern.spi.PolicyDecision;
import dev.tern.spi.PolicyField;
import dev.tern.spi.Provenance;
import dev.tern.spi.Subject;
import dev.tern.spi.TurnPolicy;
import dev.tern.policy.PolicyEngine;
import dev.tern.host.ConfiguredPolicySource;
import dev.tern.spi.InvalidSettingException;
import dev.tern.spi.PolicyAnswer;
import dev.tern.spi.PolicySourceSettings;
import dev.tern.testing.MutableClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WellKnownPolicySourceIT {

    private record Page(int status, String body, Map<String, String> headers) {
    }

    private final Map<String, Page> pages = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final CountDownLatch slowRelease = new CountDownLatch(1);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private ExecutorService serverThreads;
    private HttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        serverThreads = Executors.newCachedThreadPool();
        server.setExecutor(serverThreads);
        server.createContext("/", this::serve);
        server.start();
    }

    @AfterEach
    void stopServer() {
        slowRelease.countDown();
        server.stop(0);
        serverThreads.shutdownNow();
        scheduler.shutdownNow();
    }

    private void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        if (path.equals("/slow")) {
            try {
                slowRelease.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Page page = pages.getOrDefault(path, new Page(404, "{\"errcode\":\"M_NOT_FOUND\"}", Map.of()));
        page.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        byte[] body = page.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(page.status(), body.length == 0 ? -1 : body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private WellKnownPolicySource source(String path) {
        return new WellKnownPolicySource(WellKnownSourceConfig.builder()
                .url(url(path))
                .requestTimeout(Duration.ofSeconds(5))
                .minCache(Duration.ofSeconds(30))
                .maxCache(Duration.ofMinutes(10))
                .failureBackoff(Duration.ofSeconds(5))
                .maxFailureBackoff(Duration.ofSeconds(20))
                .build(), http,
                clock);
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private void page(String path, String json, Map<String, String> headers) {
        pages.put(path, new Page(200, json, headers));
    }

    @Test
    void forceTurnTrueOrFalseIsTheAnswerForEveryUserAndServerWide() throws Exception {
        page("/true", "{\"m.homeserver\":{\"base_url\":\"https://m.example.org\"},\"im.vector.riot.forceTurn\":true}",
                Map.of());
        page("/false", "{\"im.vector.riot.forceTurn\":false}", Map.of());
        try (var yes = source("/true"); var no = source("/false")) {
            PolicyAnswer answer = await(yes.evaluate(Subject.user("@alice:example.org")));
            assertEquals(true, answer.policy().forceRelay().orElseThrow());
            assertEquals("im.vector.riot.forceTurn in " + url("/true"), answer.rules().get(PolicyField.FORCE_RELAY));
            assertEquals(answer, await(yes.evaluateServerWide()));
            assertEquals(false, await(no.evaluate(Subject.guest("@g:example.org"))).policy().forceRelay()
                    .orElseThrow());
        }
    }

    @Test
    void missingKeyOr404MeansNoOpinion() throws Exception {
        page("/missing", "{\"m.homeserver\":{\"base_url\":\"https://m.example.org\"}}", Map.of());
        try (var missing = source("/missing"); var notFound = source("/nothing")) {
            assertEquals(PolicyAnswer.NONE, await(missing.evaluateServerWide()));
            assertEquals(PolicyAnswer.NONE, await(notFound.evaluateServerWide()));
        }
    }

    @Test
    void everyValueThatIsNotABooleanIsAnUpstreamErrorSoOnErrorApplies() throws Exception {
        Map<String, String> values = Map.of("/quoted-true", "\"true\"", "/quoted-false", "\"false\"", "/junk", "\"yes\"",
                "/number", "1", "/null", "null", "/object", "{\"on\":true}");
        values.forEach((path, value) -> page(path, "{\"im.vector.riot.forceTurn\":" + value + "}", Map.of()));
        var settings = new PolicySourceSettings("homeserver", PolicySourceSettings.OnError.FAIL_CLOSED,
                Duration.ofSeconds(10));
        for (String path : values.keySet()) {
            try (var source = source(path)) {
                var e = assertThrows(ExecutionException.class, () -> await(source.evaluateServerWide()), path);
                assertTrue(e.getCause().getMessage().contains("expected true or false"), e.getCause().getMessage());
            }
            try (var engine = new PolicyEngine(TurnPolicy.builder().forceRelay(false).build(),
                    List.of(new ConfiguredPolicySource(settings, source(path))), clock, scheduler,
                            MetricsRecorder.NONE)) {
                PolicyDecision d = await(engine.decideServerWide());
                assertEquals(new Provenance("homeserver", "on_error: fail_closed"),
                        d.provenance().get(PolicyField.FORCE_RELAY), path + " is handled like any upstream error");
            }
        }
    }

    @Test
    void aFailingUpstreamIsAskedOncePerBackOffWhichDoublesUpToItsCeiling() throws Exception {
        pages.put("/down", new Page(503, "unavailable", Map.of()));
        var settings = new PolicySourceSettings("homeserver", PolicySourceSettings.OnError.FAIL_CLOSED,
                Duration.ofSeconds(10));
        try (var engine = new PolicyEngine(TurnPolicy.builder().forceRelay(false).build(),
                List.of(new ConfiguredPolicySource(settings, source("/down"))), clock, scheduler,
                        MetricsRecorder.NONE)) {
            List<CompletionStage<PolicyDecision>> concurrent = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                concurrent.add(engine.decide(Subject.user("@user" + i + ":example.org")));
            }
            for (var decision : concurrent) {
                assertEquals(new Provenance("homeserver", "on_error: fail_closed"),
                        await(decision).provenance().get(PolicyField.FORCE_RELAY));
            }
            for (int i = 0; i < 20; i++) {
                await(engine.decide(Subject.user("@late" + i + ":example.org")));
            }
            assertEquals(1, hits.get("/down").get(), "40 client requests, one upstream fetch");

            // Back-off 5 s, then 10 s, then 20 s (the ceiling here) and 20 s again: fetches at 5, 15, 35 and 55 s.
            int[] expected = {2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5};
            for (int step = 0; step < expected.length; step++) {
                clock.advance(Duration.ofSeconds(5));
                await(engine.decideServerWide());
                await(engine.decideServerWide());
                assertEquals(expected[step], hits.get("/down").get(), "fetches after " + (step + 1) * 5 + " s");
            }

            page("/down", "{\"im.vector.riot.forceTurn\":true}", Map.of());
            clock.advance(Duration.ofSeconds(20));
            assertEquals(true, await(engine.decideServerWide()).forceRelay());
            pages.put("/down", new Page(503, "unavailable", Map.of()));
            clock.advance(Duration.ofSeconds(31)); // past the 30 s cache floor: the next failure starts at 5 s again
            await(engine.decideServerWide());
            int afterRecovery = hits.get("/down").get();
            clock.advance(Duration.ofSeconds(5));
            await(engine.decideServerWide());
            assertEquals(afterRecovery + 1, hits.get("/down").get(), "a success resets the back-off");
        }
    }

    @Test
    void malformedJsonAndServerErrorsFailSoOnErrorApplies() {
        page("/malformed", "{\"im.vector.riot.forceTurn\": tru", Map.of());
        page("/array", "[true]", Map.of());
        pages.put("/error", new Page(502, "bad gateway", Map.of()));
        try (var malformed = source("/malformed"); var array = source("/array"); var error = source("/error")) {
            for (var source : List.of(malformed, array, error)) {
                assertThrows(ExecutionException.class, () -> await(source.evaluateServerWide()));
            }
            assertThrows(ExecutionException.class, () -> await(malformed.evaluateServerWide()));
            assertEquals(1, hits.get("/malformed").get(), "a failure is cached for failure_backoff");
            clock.advance(Duration.ofSeconds(5));
            assertThrows(ExecutionException.class, () -> await(malformed.evaluateServerWide()));
            assertEquals(2, hits.get("/malformed").get(), "and asked again after it");
        }
    }

    @Test
    void followsRedirectsUpToTheLimit() throws Exception {
        page("/final", "{\"im.vector.riot.forceTurn\":true}", Map.of());
        pages.put("/moved", new Page(301, "", Map.of("Location", url("/hop"))));
        pages.put("/hop", new Page(307, "", Map.of("Location", "/final")));
        pages.put("/loop", new Page(302, "", Map.of("Location", "/loop")));
        try (var moved = source("/moved"); var loop = source("/loop")) {
            assertEquals(true, await(moved.evaluateServerWide()).policy().forceRelay().orElseThrow());
            assertThrows(ExecutionException.class, () -> await(loop.evaluateServerWide()));
            assertEquals(6, hits.get("/loop").get(), "the first request and five redirects");
        }
    }

    @Test
    void keepsAnswersForMaxAgeWithinFloorAndCeiling() throws Exception {
        page("/short", "{\"im.vector.riot.forceTurn\":true}", Map.of("Cache-Control", "public, max-age=5"));
        page("/medium", "{\"im.vector.riot.forceTurn\":true}", Map.of("Cache-Control", "max-age=120"));
        page("/long", "{\"im.vector.riot.forceTurn\":true}", Map.of("Cache-Control", "max-age=86400"));
        try (var shortAge = source("/short"); var medium = source("/medium"); var longAge = source("/long")) {
            fetchAll(shortAge, medium, longAge);
            fetchAll(shortAge, medium, longAge);
            assertEquals(List.of(1, 1, 1), hitsOf("/short", "/medium", "/long"));
            clock.advance(Duration.ofSeconds(31)); // max-age=5 was raised to the 30 s floor
            fetchAll(shortAge, medium, longAge);
            assertEquals(List.of(2, 1, 1), hitsOf("/short", "/medium", "/long"));
            clock.advance(Duration.ofSeconds(90)); // 121 s: past max-age=120
            fetchAll(shortAge, medium, longAge);
            assertEquals(List.of(3, 2, 1), hitsOf("/short", "/medium", "/long"));
            clock.advance(Duration.ofSeconds(480)); // 601 s: max-age=86400 was lowered to the 10 min ceiling
            fetchAll(shortAge, medium, longAge);
            assertEquals(List.of(4, 3, 2), hitsOf("/short", "/medium", "/long"));
        }
    }

    private static void fetchAll(WellKnownPolicySource... sources) throws Exception {
        for (var source : sources) {
            await(source.evaluateServerWide());
        }
    }

    private List<Integer> hitsOf(String... paths) {
        return java.util.Arrays.stream(paths).map(p -> hits.get(p).get()).toList();
    }

    @Test
    void slowServerIsCutOffByTheSourceTimeout() throws Exception {
        var source = source("/slow");
        var settings = new PolicySourceSettings("well-known", PolicySourceSettings.OnError.FAIL_CLOSED,
                Duration.ofMillis(300));
        try (var engine = new PolicyEngine(TurnPolicy.builder().forceRelay(false).build(),
                List.of(new ConfiguredPolicySource(settings, source)), clock, scheduler, MetricsRecorder.NONE)) {
            PolicyDecision d = await(engine.decideServerWide());
            assertEquals(new Provenance("well-known", "on_error: fail_closed"),
                    d.provenance().get(PolicyField.FORCE_RELAY));
        }
        var quick = new WellKnownPolicySource(WellKnownSourceConfig.builder()
                .url(url("/slow"))
                .requestTimeout(Duration.ofMillis(200))
                .build(), http, clock);
        var e = assertThrows(ExecutionException.class, () -> await(quick.evaluateServerWide()));
        assertInstanceOf(java.net.http.HttpTimeoutException.class, e.getCause());
        assertTrue(hits.get("/slow").get() >= 2);
    }

    @Test
    void configNeedsExactlyOneOfUrlAndServerName() {
        assertEquals("url", assertThrows(InvalidSettingException.class,
                () -> WellKnownSourceConfig.builder().build()).key());
        assertEquals("url", assertThrows(InvalidSettingException.class,
                () -> WellKnownSourceConfig.builder().url("ftp://x/").build()).key());
        assertEquals("max_cache", assertThrows(InvalidSettingException.class,
                () -> WellKnownSourceConfig.builder()
                        .serverName("example.org")
                        .minCache(Duration.ofHours(2))
                        .maxCache(Duration.ofHours(1))
                        .build()).key());
        assertEquals("max_failure_backoff", assertThrows(InvalidSettingException.class,
                () -> WellKnownSourceConfig.builder()
                        .serverName("example.org")
                        .failureBackoff(Duration.ofMinutes(1))
                        .maxFailureBackoff(Duration.ofSeconds(30))
                        .build()).key());
        assertEquals("failure_backoff", assertThrows(InvalidSettingException.class,
                () -> WellKnownSourceConfig.builder()
                        .serverName("example.org")
                        .failureBackoff(Duration.ZERO)
                        .build()).key());
        assertEquals("https://example.org/.well-known/matrix/client",
                WellKnownSourceConfig.builder().serverName("example.org").build().documentUri().toString());
    }
}
