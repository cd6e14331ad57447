package dev.tern.matrix.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.guard.ListenerGuard;
import dev.tern.guard.ListenerLimits;
import dev.tern.matrix.auth.fixed.StaticTokenVerifier;
import dev.tern.matrix.auth.fixed.StaticTokensConfig;
import dev.tern.matrix.netty.MatrixHttpServer;
import dev.tern.spi.MetricsRecorder;
import dev.tern.testing.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #16, defect 4: 3 000 requests refused with 429, through the Netty binding with slf4j-simple writing the
 * log, write one line (the first); the next refusal a minute later writes one more, carrying the count of the
 * 3 000 it stands for.
 */
class RefusedRequestLogTest {

    private static final String TOKEN = "syt_Zmxvb2Q_rateLimitedToken_46";

    @TempDir
    Path dir;

    @Test
    void threeThousandRefusedRequestsWriteOneLinePerMinuteWithTheCount() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (TestTern fixture = TestTern.withIssuer(dir, Clock.systemUTC(),
                new TestTern.RecordingPolicy(true, Set.of(), false))) {
            StaticTokenVerifier tokens = new StaticTokenVerifier(StaticTokensConfig.shortForm(
                    Map.of(TOKEN, "@flood:example.org"), List.of()));
            MatrixConfig config = MatrixEndpointsTest.config(Map.of("rate_limit", Map.of("per_second", 0.001,
                    "burst", 1)));
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            MatrixHttpServer server = MatrixHttpServer.start(new MatrixEndpoints(config, fixture.tern, tokens,
                    HttpClient.newHttpClient(), clock), new InetSocketAddress("127.0.0.1", 0), 8192,
                    ListenerGuard.create("http", ListenerLimits.DEFAULT, clock, MetricsRecorder.NONE));
            try {
                HttpClient client = HttpClient.newHttpClient();
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + server.localAddress().getPort() + "/_matrix/client/v3/voip/turnServer"))
                        .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(10)).build();
                assertEquals(200, client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
                for (int i = 0; i < 3000; i++) {
                    assertEquals(429, client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
                }
                List<String> lines = rateLimitedLines(captured);
                assertEquals(1, lines.size(), "one line for 3 000 refusals within a minute:\n" + lines);
                assertTrue(lines.get(0).contains("(1 refused with 429 since the last such line"), lines.get(0));

                clock.advance(Duration.ofSeconds(61));
                assertEquals(429, client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
                lines = rateLimitedLines(captured);
                assertEquals(2, lines.size(), lines.toString());
                assertTrue(lines.get(1).contains("@flood:example.org (3000 refused with 429 since the last such line"),
                        "the next line carries the count: " + lines.get(1));
            } finally {
                server.close();
            }
        } finally {
            System.setErr(original);
        }
    }

    private static List<String> rateLimitedLines(ByteArrayOutputStream captured) {
        return captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("turnServer rate limited"))
                .toList();
    }
}
