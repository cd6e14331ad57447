package dev.tern.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.spi.PolicyDecision;
import dev.tern.spi.PolicyEvaluator;
import dev.tern.spi.Secret;
import dev.tern.spi.SourceHealth;
import dev.tern.spi.Subject;
import dev.tern.spi.TurnCredentials;
import dev.tern.turn.client.StunResponse;
import dev.tern.turn.client.TurnClient;
import dev.tern.spi.InvalidSettingException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** The admin server over real HTTP on loopback, in front of a real relay. */
class AdminServerTest {

    private static final Secret TOKEN = Secret.of("admin-token-0123456789abcdefghij");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void servesRecordedEventsAtMetricsInPrometheusText() throws Exception {
        try (TernFixture fixture = TernFixture.started(PolicyEvaluator.PERMISSIVE);
                AdminServer admin = start(AdminConfig.of("http://127.0.0.1:0", null), fixture)) {
            fixture.metrics().count("tern_credentials_verified", Map.of("type", "rest", "result", "accepted"), 7);
            fixture.tern().credentialsFor(Subject.user("@bob:tern.test")).toCompletableFuture().join();

            HttpResponse<String> response = get(admin, "/metrics", null);

            assertEquals(200, response.statusCode());
            assertEquals("text/plain; version=0.0.4; charset=utf-8",
                    response.headers().firstValue("Content-Type").orElseThrow());
            String text = response.body();
            assertTrue(text.contains("tern_credentials_verified_total{result=\"accepted\",type=\"rest\"} 7.0"), text);
            assertTrue(text.contains("tern_credentials_issued_total{"), text);
            assertTrue(text.contains("tern_relay_allocations 0.0"), text);
            // every reason the watched relay can refuse with starts at 0, before any refusal
            assertTrue(text.contains("tern_relay_quota_refusals_total{reason=\"no_ports\"} 0.0"), text);
            assertFalse(text.contains("@bob"), text);
        }
    }

    @Test
    void statusAndMetricsSayWhichDataPlaneRunsAndWhatEachCarried() throws Exception {
        try (TernFixture fixture = TernFixture.started(PolicyEvaluator.PERMISSIVE);
                AdminServer admin = start(AdminConfig.of("http://127.0.0.1:0", null), fixture);
                DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                TurnClient client = client(fixture, "@carol:tern.test")) {
            assertTrue(client.allocate().success());
            InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
            assertTrue(client.channelBind(0x4000, peerAddress).success());
            peer.setSoTimeout(5000);
            for (int i = 0; i < 3; i++) {
                client.sendChannelData(0x4000, "hello peer".getBytes(StandardCharsets.UTF_8));
                peer.receive(new DatagramPacket(new byte[64], 64));
            }
            String plane = fixture.relay().dataPlane().plane().name().toLowerCase(java.util.Locale.ROOT);
            JsonNode dataPlane = null;
            for (int i = 0; i < 50; i++) { // the relay reports its traffic once a second
                dataPlane = JSON.readTree(get(admin, "/admin/api/status", null).body()).get("relay").get("data_plane");
                if (dataPlane.get("user").get("packets").asLong() + dataPlane.get("kernel").get("packets").asLong() >= 3) {
                    break;
                }
                Thread.sleep(100);
            }
            assertEquals(plane, dataPlane.get("plane").asText(), dataPlane.toString());
            assertFalse(dataPlane.get("reason").asText().isBlank(), dataPlane.toString());
            assertEquals(3, dataPlane.get(plane).get("packets").asLong(), "the running plane carried the channel: "
                    + dataPlane);
            assertEquals(30, dataPlane.get(plane).get("bytes").asLong(), dataPlane.toString());

            String text = get(admin, "/metrics", null).body();
            assertTrue(text.contains("tern_relay_data_plane{plane=\"" + plane + "\"} 1.0"), text);
            assertTrue(text.contains("tern_relay_plane_packets_total{direction=\"to_peer\",plane=\"" + plane
                    + "\"} 3.0"), text);
        }
    }

    @Test
    void withoutAFleetTheHistoryAndTheFleetTableShowThisRelay() throws Exception {
        try (TernFixture fixture = TernFixture.started(PolicyEvaluator.PERMISSIVE);
                AdminServer admin = start(AdminConfig.of("http://127.0.0.1:0", null), fixture)) {
            JsonNode history = JSON.readTree(get(admin, "/admin/api/history", null).body());
            String id = "127.0.0.1:" + fixture.relayAddress().getPort();
            assertEquals(5, history.get("interval_seconds").asInt(), history.toString());
            assertEquals(900, history.get("window_seconds").asInt(), history.toString());
            assertEquals(1, history.get("relays").size(), history.toString());
            assertEquals(id, history.get("relays").get(0).get("relay_id").asText(), history.toString());
            JsonNode sample = history.get("relays").get(0).get("samples").get(0);
            assertEquals(0, sample.get("allocations").asInt(), history.toString());
            assertEquals(0, sample.get("bits_per_second").asLong(), history.toString());
            JsonNode row = history.get("fleet").get(0);
            assertEquals(id, row.get("relay_id").asText(), history.toString());
            assertEquals("udp://" + id, row.get("uris").get(0).asText(), history.toString());
            assertFalse(row.get("draining").asBoolean(), history.toString());
        }
    }

    @Test
    void relayAllocationsShowInMetricsAndInTheAllocationsApi() throws Exception {
        try (TernFixture fixture = TernFixture.started(PolicyEvaluator.PERMISSIVE);
                AdminServer admin = start(AdminConfig.of("http://127.0.0.1:0", null), fixture);
                DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                TurnClient client = client(fixture, "@carol:tern.test")) {
            StunResponse allocated = client.allocate();
            assertTrue(allocated.success(), "allocate answered " + allocated.errorCode());
            InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
            assertTrue(client.createPermission(peerAddress).success());
            client.sendIndication(peerAddress, "hello peer".getBytes(StandardCharsets.UTF_8));
            peer.setSoTimeout(5000);
            peer.receive(new DatagramPacket(new byte[64], 64));

            JsonNode allocations = JSON.readTree(get(admin, "/admin/api/allocations", null).body());
            assertEquals(1, allocations.size(), allocations.toString());
            JsonNode a = allocations.get(0);
            assertEquals("@carol:tern.test", a.get("user").asText());
            assertEquals("udp", a.get("transport").asText());
            assertEquals(allocated.grant().relayed().orElseThrow().getPort(),
                    Integer.parseInt(a.get("relayed").asText().replaceAll(".*:", "")));
            assertEquals(1, a.get("relayed_addresses").size(), "one family, one relayed address: " + a);
            assertEquals(a.get("relayed").asText(), a.get("relayed_addresses").get(0).asText());
            assertTrue(a.get("client").asText().endsWith(":" + client.localPort()), a.toString());
            assertEquals("127.0.0.1", a.get("peers").get(0).asText().replaceAll(":\\d+$", ""), a.toString());
            assertTrue(a.get("age_seconds").asLong() >= 0, a.toString());
            assertTrue(a.get("expires_in_seconds").asLong() > 0, a.toString());

            String text = get(admin, "/metrics", null).body();
            assertTrue(text.contains("tern_relay_allocations 1.0"), text);
            assertTrue(text.contains("tern_relay_allocations_created_total 1.0"), text);
            assertTrue(text.contains("tern_relay_permissions_created_total 1.0"), text);

            JsonNode status = JSON.readTree(get(admin, "/admin/api/status", null).body());
            assertEquals(1, status.get("relay").get("allocations").asInt(), status.toString());
            assertEquals("udp://127.0.0.1:" + fixture.relayAddress().getPort(),
                    status.get("relay").get("listen").get(0).asText());
            assertTrue(status.get("credentials_configured").asBoolean());
            assertFalse(status.get("server_forces_relay").asBoolean());
        }
    }

    @Test
    void liveAndReadyWhenTheRelayIsBoundAndPolicyAnswers() throws Exception {
        try (TernFixture fixture = TernFixture.started(PolicyEvaluator.PERMISSIVE);
                AdminServer admin = start(AdminConfig.of("http://127.0.0.1:0", null), fixture)) {
            assertEquals(200, get(admin, "/health/live", null).statusCode());
            HttpResponse<String> ready = get(admin, "/health/ready", null);
            assertEquals(200, ready.statusCode(), ready.body());
            JsonNode body = JSON.readTree(ready.body());
            assertEquals("ready", body.get("status").asText());
            assertEquals("bound", body.get("checks").get("relay").asText());
            assertEquals("answering", body.get("checks").get("policy").asText());
            assertEquals(200, get(admin, "/health", null).statusCode());
            String text = get(admin, "/metrics", null).body();
            assertTrue(text.contains("tern_policy_server_wide_decision_seconds_count{result=\"ok\"} 2"), text);
        }
    }

    @Test
    void closesAKeepAliveConnectionThatTricklesTheHeadersOfALaterRequest() throws Exception {
        try (TernFixture fixture = TernFixture.started(PolicyEvaluator.PERMISSIVE);
                AdminServer admin = start(new AdminConfig(null, "http://127.0.0.1:0", null, null,
                        new dev.tern.guard.ListenerLimits(null, null, Duration.ofSeconds(1), Duration.ofSeconds(60)),
                        null),
                        fixture)) {
            dev.tern.testing.HeaderTrickle trickle = dev.tern.testing.HeaderTrickle.run(admin.address(),
                    "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n", Duration.ofMillis(200), Duration.ofSeconds(8));
            assertTrue(trickle.answered(), "the first request is answered on the keep-alive connection");
            assertTrue(trickle.closed(), "a second request's never-ending headers close the connection: " + trickle);
            // the 1 s deadline, with room for a loaded machine; far under the 60 s idle timeout the trickle defeats
            assertTrue(trickle.trickledFor().compareTo(Duration.ofSeconds(6)) < 0, trickle.toString());
        }
    }

    @Test
    void notReadyWhileTheRelayIsNotBound() throws Exception {
        try (TernFixture fixture = TernFixture.notStarted();
                AdminServer admin = start(AdminConfig.of("http://127.0.0.1:0", null), fixture)) {
            HttpResponse<String> ready = get(admin, "/health/ready", null);
            assertEquals(503, ready.statusCode(), ready.body());
            assertEquals("not bound", JSON.readTree(ready.body()).get("checks").get("relay").asText());
            assertEquals(200, get(admin, "/health/live", null).statusCode());
        }
    }

    @Test
    void notReadyWhenPolicyDoesNotAnswerInTime() throws Exception {
        PolicyEvaluator silent = policy(new CompletableFuture<>());
        try (TernFixture fixture = TernFixture.started(silent);
                AdminServer admin = start(new AdminConfig(null, "http://127.0.0.1:0", null, Duration.ofMillis(200), null,
                        null),
                        fixture)) {
            HttpResponse<String> ready = get(admin, "/health/ready", null);
            assertEquals(503, ready.statusCode(), ready.body());
            assertEquals("no answer within 200ms", JSON.readTree(ready.body()).get("checks").get("policy").asText());
            String text = get(admin, "/metrics", null).body();
            assertTrue(text.contains("tern_policy_server_wide_decision_seconds_count{result=\"timeout\"} 1"), text);
        }
    }

    @Test
    void notReadyWhenPolicyFails() throws Exception {
        PolicyEvaluator failing = policy(CompletableFuture.failedFuture(new IOException("directory unreachable")));
        try (TernFixture fixture = TernFixture.started(failing);
                AdminServer admin = start(AdminConfig.of("http://127.0.0.1:0", null), fixture)) {
            HttpResponse<String> ready = get(admin, "/health/ready", null);
            assertEquals(503, ready.statusCode(), ready.body());
            assertEquals("failed: IOException", JSON.readTree(ready.body()).get("checks").get("policy").asText());
        }
    }

    @Test
    void degradedButReadyNamingAPolicySourceThatCannotAnswer() throws Exception {
        PolicyEvaluator directoryDown = new PolicyEvaluator() {
            @Override
            public CompletionStage<PolicyDecision> decide(Subject subject) {
                return CompletableFuture.completedFuture(PolicyDecision.PERMISSIVE);
            }

            @Override
            public CompletionStage<PolicyDecision> decideServerWide() {
                return CompletableFuture.completedFuture(PolicyDecision.PERMISSIVE); // needs no directory
            }

            @Override
            public Map<String, SourceHealth> sourceHealth() {
                return Map.of("rules", SourceHealth.ANSWERING, "directory", SourceHealth.failing("LDAP connect error"));
            }
        };
        try (TernFixture fixture = TernFixture.started(directoryDown);
                AdminServer admin = start(AdminConfig.of("http://127.0.0.1:0", null), fixture)) {
            HttpResponse<String> ready = get(admin, "/health/ready", null);
            assertEquals(200, ready.statusCode(), "on_error answers for the source: " + ready.body());
            JsonNode body = JSON.readTree(ready.body());
            assertEquals("degraded", body.get("status").asText());
            assertEquals("degraded: source 'directory' cannot answer (LDAP connect error); its on_error applies",
                    body.get("checks").get("policy").asText());
        }
    }

    @Test
    void tokenProtectsMetricsAndApiButNotHealthOrThePage() throws Exception {
        try (TernFixture fixture = TernFixture.started(PolicyEvaluator.PERMISSIVE);
                AdminServer admin = start(AdminConfig.of("http://127.0.0.1:0", TOKEN), fixture)) {
            for (String path : new String[] {"/metrics", "/admin/api/allocations", "/admin/api/status",
                    "/admin/api/history"}) {
                HttpResponse<String> none = get(admin, path, null);
                assertEquals(401, none.statusCode(), path);
                assertEquals("Bearer realm=\"tern-admin\"", none.headers().firstValue("WWW-Authenticate").orElseThrow());
                assertFalse(none.body().contains(TOKEN.reveal()));
                assertEquals(401, get(admin, path, "Bearer " + TOKEN.reveal() + "x").statusCode(), path);
                assertEquals(401, get(admin, path, "Bearer " + TOKEN.reveal().substring(1)).statusCode(), path);
                assertEquals(401, get(admin, path, "Basic " + TOKEN.reveal()).statusCode(), path);
                assertEquals(200, get(admin, path, "Bearer " + TOKEN.reveal()).statusCode(), path);
                assertEquals(200, get(admin, path, "bearer " + TOKEN.reveal()).statusCode(), path);
            }
            assertEquals(200, get(admin, "/health/live", null).statusCode());
            assertEquals(200, get(admin, "/health/ready", null).statusCode());
            assertEquals(200, get(admin, "/admin", null).statusCode());
        }
    }

    @Test
    void refusesNonLoopbackBindWithoutTokenAndRequiresTheTokenWithOne() throws Exception {
        assertEquals("token", assertThrows(InvalidSettingException.class,
                () -> AdminConfig.of("http://0.0.0.0:0", null)).key());
        try (TernFixture fixture = TernFixture.started(PolicyEvaluator.PERMISSIVE);
                AdminServer admin = start(AdminConfig.of("http://0.0.0.0:0", TOKEN), fixture)) {
            assertTrue(admin.address().getAddress().isAnyLocalAddress());
            URI metrics = URI.create("http://127.0.0.1:" + admin.address().getPort() + "/metrics");
            assertEquals(401, send(HttpRequest.newBuilder(metrics), null).statusCode());
            assertEquals(200, send(HttpRequest.newBuilder(metrics), "Bearer " + TOKEN.reveal()).statusCode());
        }
    }

    @Test
    void servesTheAdminPageAndItsScriptsFromTheJar() throws Exception {
        try (TernFixture fixture = TernFixture.started(PolicyEvaluator.PERMISSIVE);
                AdminServer admin = start(AdminConfig.of("http://127.0.0.1:0", null), fixture)) {
            HttpResponse<String> page = get(admin, "/admin", null);
            assertEquals(200, page.statusCode());
            assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElseThrow());
            assertTrue(page.headers().firstValue("Content-Security-Policy").orElseThrow().contains("default-src 'self'"));
            assertTrue(page.body().contains("/admin/call-test.js"), page.body());
            HttpResponse<String> script = get(admin, "/admin/call-test.js", null);
            assertEquals(200, script.statusCode());
            assertTrue(script.body().contains("iceTransportPolicy: 'relay'"), script.body());
            assertEquals(200, get(admin, "/admin/admin.js", null).statusCode());
            assertEquals(200, get(admin, "/admin/admin.css", null).statusCode());
            assertEquals(404, get(admin, "/admin/pom.xml", null).statusCode());
            assertEquals(404, get(admin, "/admin/api/nothing", null).statusCode());
            assertEquals(404, get(admin, "/nothing", null).statusCode());
            HttpResponse<String> root = get(admin, "/", null);
            assertEquals(302, root.statusCode());
            assertEquals("/admin", root.headers().firstValue("Location").orElseThrow());
            HttpResponse<String> post = send(HttpRequest.newBuilder(admin.uri().resolve("/metrics"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")), null);
            assertEquals(405, post.statusCode());
        }
    }

    @Test
    void refusesToStartWhenDisabled() throws Exception {
        try (TernFixture fixture = TernFixture.started(PolicyEvaluator.PERMISSIVE)) {
            assertThrows(IllegalArgumentException.class,
                    () -> start(new AdminConfig(false, null, null, null, null, null), fixture));
        }
    }

    @Test
    void namesTheAddressItCannotBind() throws Exception {
        try (TernFixture fixture = TernFixture.started(PolicyEvaluator.PERMISSIVE);
                AdminServer first = start(AdminConfig.of("http://127.0.0.1:0", null), fixture)) {
            String taken = "http://127.0.0.1:" + first.address().getPort();
            IOException e = assertThrows(IOException.class, () -> start(AdminConfig.of(taken, null), fixture));
            assertTrue(e.getMessage().contains(taken), e.getMessage());
        }
    }

    private static AdminServer start(AdminConfig config, TernFixture fixture) throws IOException {
        return AdminServer.start(config, fixture.tern(), fixture.metrics(), Clock.systemUTC());
    }

    private static TurnClient client(TernFixture fixture, String userId) {
        TurnCredentials c = fixture.credentials(userId);
        return new TurnClient(fixture.relayAddress(), Duration.ofSeconds(5)).credentials(c.username(), c.password());
    }

    private HttpResponse<String> get(AdminServer admin, String path, String authorization) throws Exception {
        return send(HttpRequest.newBuilder(admin.uri().resolve(path)), authorization);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String authorization) throws Exception {
        request.timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static PolicyEvaluator policy(CompletionStage<PolicyDecision> serverWide) {
        return new PolicyEvaluator() {
            @Override
            public CompletionStage<PolicyDecision> decide(Subject subject) {
                return CompletableFuture.completedFuture(PolicyDecision.PERMISSIVE);
            }

            @Override
            public CompletionStage<PolicyDecision> decideServerWide() {
                return serverWide;
            }
        };
    }
}
