package dev.tern.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.spi.PolicyEvaluator;
import dev.tern.spi.Secret;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@code POST /admin/api/drain} and readiness while draining (#18 point 5). */
class DrainEndpointTest {

    private static final String TOKEN = "admin-token-0123456789abcdefghij";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> send(URI uri, String method, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void drainNeedsTheAdminTokenAndPostAndStartsTheHostsDrainOnce() throws Exception {
        AtomicInteger started = new AtomicInteger();
        Instant deadline = Instant.parse("2030-01-01T00:02:00Z");
        RelayDrain drain = () -> {
            started.incrementAndGet();
            return deadline;
        };
        try (TernFixture fixture = TernFixture.started(PolicyEvaluator.PERMISSIVE);
                AdminServer admin = AdminServer.start(AdminConfig.of("http://127.0.0.1:0", Secret.of(TOKEN)),
                        fixture.tern(), fixture.metrics(), Clock.systemUTC(), Optional.of(drain))) {
            URI uri = admin.uri().resolve("/admin/api/drain");
            assertEquals(401, send(uri, "POST", null).statusCode());
            assertEquals(401, send(uri, "POST", "wrong-token").statusCode());
            assertEquals(405, send(uri, "GET", TOKEN).statusCode());
            assertEquals(0, started.get());
            HttpResponse<String> accepted = send(uri, "POST", TOKEN);
            assertEquals(202, accepted.statusCode(), accepted.body());
            JsonNode body = JSON.readTree(accepted.body());
            assertEquals("draining", body.get("status").asText());
            assertEquals(deadline.toString(), body.get("deadline").asText());
            assertEquals(1, started.get());
            assertFalse(accepted.body().contains(TOKEN));
        }
    }

    @Test
    void aHostWithoutDrainAnswers404() throws Exception {
        try (TernFixture fixture = TernFixture.started(PolicyEvaluator.PERMISSIVE);
                AdminServer admin = AdminServer.start(AdminConfig.of("http://127.0.0.1:0", null), fixture.tern(),
                        fixture.metrics(), Clock.systemUTC())) {
            assertEquals(404, send(admin.uri().resolve("/admin/api/drain"), "POST", null).statusCode());
        }
    }

    @Test
    void notReadyWhileTheRelayDrainsSoLoadBalancersStopSendingClients() throws Exception {
        try (TernFixture fixture = TernFixture.started(PolicyEvaluator.PERMISSIVE);
                AdminServer admin = AdminServer.start(AdminConfig.of("http://127.0.0.1:0", null), fixture.tern(),
                        fixture.metrics(), Clock.systemUTC())) {
            URI ready = admin.uri().resolve("/health/ready");
            assertEquals(200, send(ready, "GET", null).statusCode());
            fixture.relay().drain(Duration.ofMinutes(1));
            assertTrue(fixture.relay().draining());
            HttpResponse<String> draining = send(ready, "GET", null);
            assertEquals(503, draining.statusCode(), draining.body());
            JsonNode body = JSON.readTree(draining.body());
            assertEquals("not ready", body.get("status").asText());
            assertEquals("draining", body.get("checks").get("relay").asText());
            assertEquals(200, send(admin.uri().resolve("/health/live"), "GET", null).statusCode());
        }
    }
}
