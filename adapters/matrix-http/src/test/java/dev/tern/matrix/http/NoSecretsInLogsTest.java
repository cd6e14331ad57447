package dev.tern.matrix.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.guard.ListenerGuard;
import dev.tern.guard.ListenerLimits;
import dev.tern.matrix.auth.whoami.WhoamiConfig;
import dev.tern.matrix.auth.whoami.WhoamiTokenVerifier;
import dev.tern.matrix.http.TestHomeserver.Answer;
import dev.tern.matrix.netty.MatrixHttpServer;
import dev.tern.spi.MetricsRecorder;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every path that logs (issued, refused, unknown token, homeserver down, upstream junk, undecodable request),
 * at DEBUG, through the Netty binding, with the log captured: no access token, TURN password or shared secret
 * appears in it.
 */
class NoSecretsInLogsTest {

    static final String GOOD = "syt_YWxpY2U_goodTokenValue_42";
    static final String BAD = "syt_bm9ib2R5_unknownTokenValue_43";

    @TempDir
    Path dir;

    @Test
    void logsNoTokenPasswordOrSecret() throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        List<String> passwords = new ArrayList<>();
        try (TestHomeserver homeserver = new TestHomeserver();
                TestTern fixture = TestTern.withIssuer(dir, Clock.systemUTC(),
                        new TestTern.RecordingPolicy(true, Set.of("@bob:example.org"), true))) {
            homeserver.answerToken(GOOD, Answer.json(200, "{\"user_id\":\"@alice:example.org\",\"device_id\":\"D\"}"))
                    .answerToken(BAD, Answer.json(401, "{\"errcode\":\"M_UNKNOWN_TOKEN\"}"))
                    .answerToken("syt_bob_token_value_44", Answer.json(200, "{\"user_id\":\"@bob:example.org\"}"))
                    .answerToken("syt_down_token_value_45", Answer.json(502, "<html>bad gateway</html>"))
                    .answer("/.well-known/matrix/client", Answer.json(200, "junk"));
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            WhoamiTokenVerifier tokens = new WhoamiTokenVerifier(new WhoamiConfig(homeserver.baseUrl(), null, null,
                    null, null), HttpClient.newHttpClient(), Clock.systemUTC());
            MatrixConfig config = MatrixEndpointsTest.config(Map.of(
                    "well_known_upstream", homeserver.baseUrl() + "/.well-known/matrix/client"));
            MatrixHttpServer server = MatrixHttpServer.start(new MatrixEndpoints(config, fixture.tern, tokens,
                    HttpClient.newHttpClient(), Clock.systemUTC()), new InetSocketAddress("127.0.0.1", 0), 8192,
                ListenerGuard.create("http", ListenerLimits.DEFAULT, Clock.systemUTC(), MetricsRecorder.NONE));
            try {
                URI base = URI.create("http://127.0.0.1:" + server.localAddress().getPort());
                HttpClient client = HttpClient.newHttpClient();
                String turn = "/_matrix/client/v3/voip/turnServer";
                for (String token : List.of(GOOD, BAD, "syt_bob_token_value_44", "syt_down_token_value_45")) {
                    HttpResponse<String> r = client.send(HttpRequest.newBuilder(base.resolve(turn))
                            .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        passwords.add(new ObjectMapper().readTree(r.body()).get("password").asText());
                    }
                }
                client.send(HttpRequest.newBuilder(base.resolve(turn + "?access_token=" + BAD + "&x=1"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                client.send(HttpRequest.newBuilder(base.resolve("/.well-known/matrix/client"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                client.send(HttpRequest.newBuilder(base.resolve(turn + "?access_token=" + GOOD))
                        .method("DELETE", HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
            } finally {
                server.close();
                tokens.close();
            }
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertEquals(1, passwords.size(), log);
        // the capture works: the paths above did log
        assertTrue(log.contains("credentials for @alice:example.org"), log);
        assertTrue(log.contains("refused for @bob:example.org"), log);
        assertTrue(log.contains("HTTP 502"), log);
        assertTrue(log.contains("serving the configured well_known"), log);
        for (String secret : List.of(GOOD, BAD, "syt_bob_token_value_44", "syt_down_token_value_45", TestTern.SECRET,
                passwords.get(0))) {
            assertFalse(log.contains(secret), "a secret is in the log");
        }
        assertFalse(log.contains("access_token="), "a query string is in the log");
    }
}
