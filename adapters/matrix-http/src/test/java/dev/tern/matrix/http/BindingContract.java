package dev.tern.matrix.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.api.Tern;
import dev.tern.spi.Verification;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every binding must do over real HTTP on loopback. A subclass starts its server around the endpoints
 * and says where it listens.
 */
public abstract class BindingContract {

    protected static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Path dir;
    protected TestTern fixture;
    protected URI base;

    /** Starts the binding's server around the endpoints and returns its base URI ({@code http://127.0.0.1:port}). */
    protected abstract URI start(MatrixEndpoints endpoints) throws Exception;

    /** Stops the server. */
    protected abstract void stop() throws Exception;

    @BeforeEach
    void startBinding() throws Exception {
        dir = Files.createTempDirectory("tern-binding");
        fixture = TestTern.withIssuer(dir, Clock.systemUTC(), new TestTern.RecordingPolicy(true, Set.of(), true));
        MatrixConfig config = ConfigShapes.bind(Map.of("well_known", MatrixEndpointsTest.WELL_KNOWN,
                "domains", List.of(Map.of("server_name", "b.example", "well_known", MatrixEndpointsTest.B_WELL_KNOWN))));
        base = start(new MatrixEndpoints(config, fixture.tern, MatrixEndpointsTest.tokens(), client, Clock.systemUTC()));
    }

    @AfterEach
    void stopBinding() throws Exception {
        try {
            stop();
        } finally {
            fixture.close();
            Files.deleteIfExists(dir);
        }
    }

    protected HttpResponse<String> send(String method, String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(request::header);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    protected static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    @Test
    void choosesTheHostedDomainsWellKnownByTheHostHeader() throws Exception {
        // java.net.http cannot set Host, so this request is written by hand.
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /.well-known/matrix/client HTTP/1.1\r\nHost: B.example:443\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
            assertTrue(answer.contains("\"base_url\":\"https://matrix.b.example\""), answer);
        }
        HttpResponse<String> byDefault = send("GET", "/.well-known/matrix/client", Map.of());
        assertEquals("https://matrix.example.org", json(byDefault).at("/m.homeserver/base_url").asText(), byDefault.body());
    }

    @Test
    void servesTheWellKnownWithTheFlagAndCors() throws Exception {
        HttpResponse<String> response = send("GET", "/.well-known/matrix/client", Map.of());
        assertEquals(200, response.statusCode());
        assertTrue(json(response).get(Tern.FORCE_TURN_KEY).asBoolean());
        assertEquals("https://matrix.example.org", json(response).at("/m.homeserver/base_url").asText());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("*", response.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
        assertEquals("public, max-age=3600", response.headers().firstValue("Cache-Control").orElseThrow());
    }

    @Test
    void issuesCredentialsForABearerToken() throws Exception {
        HttpResponse<String> response = send("GET", "/_matrix/client/v3/voip/turnServer",
                Map.of("Authorization", "Bearer tok-alice"));
        assertEquals(200, response.statusCode(), response.body());
        String username = json(response).get("username").asText();
        assertInstanceOf(Verification.Accepted.class,
                fixture.issuer.verifier().orElseThrow().verify(username, "example.org"));
        assertEquals(3600, json(response).get("ttl").asInt());
    }

    @Test
    void issuesCredentialsForAQueryToken() throws Exception {
        HttpResponse<String> response = send("GET", "/_matrix/client/r0/voip/turnServer?access_token=tok-bob", Map.of());
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(json(response).get("username").asText().endsWith(":@bob:example.org"));
    }

    @Test
    void refusesMissingAndUnknownTokens() throws Exception {
        HttpResponse<String> missing = send("GET", "/_matrix/client/v3/voip/turnServer", Map.of());
        assertEquals(401, missing.statusCode());
        assertEquals("M_MISSING_TOKEN", json(missing).get("errcode").asText());
        HttpResponse<String> unknown = send("GET", "/_matrix/client/v3/voip/turnServer",
                Map.of("Authorization", "Bearer wrong"));
        assertEquals(401, unknown.statusCode());
        assertEquals("M_UNKNOWN_TOKEN", json(unknown).get("errcode").asText());
    }

    @Test
    void limitsUnknownTokensFromOneAddressByDefault() throws Exception {
        // The default unknown_token_limit: 10 at once per address, here 127.0.0.1 as the binding saw it.
        for (int i = 0; i < 10; i++) {
            assertEquals(401, send("GET", "/_matrix/client/v3/voip/turnServer",
                    Map.of("Authorization", "Bearer guess-" + i)).statusCode());
        }
        HttpResponse<String> limited = send("GET", "/_matrix/client/v3/voip/turnServer",
                Map.of("Authorization", "Bearer guess-10"));
        assertEquals(429, limited.statusCode(), limited.body());
        assertEquals("M_LIMIT_EXCEEDED", json(limited).get("errcode").asText());
        assertTrue(json(limited).get("retry_after_ms").asLong() > 0, limited.body());
        assertTrue(limited.headers().firstValue("Retry-After").isPresent(), limited.headers().toString());
    }

    @Test
    void refusesOtherMethodsAndPaths() throws Exception {
        HttpResponse<String> post = send("POST", "/_matrix/client/v3/voip/turnServer", Map.of());
        assertEquals(405, post.statusCode());
        assertEquals("M_UNRECOGNIZED", json(post).get("errcode").asText());
        HttpResponse<String> unknown = send("GET", "/_matrix/client/v3/sync", Map.of());
        assertEquals(404, unknown.statusCode());
        assertEquals("M_UNRECOGNIZED", json(unknown).get("errcode").asText());
    }

    @Test
    void answersPreflight() throws Exception {
        HttpResponse<String> response = send("OPTIONS", "/_matrix/client/v3/voip/turnServer",
                Map.of("Origin", "https://app.element.io", "Access-Control-Request-Method", "GET"));
        assertEquals(200, response.statusCode());
        assertEquals("X-Requested-With, Content-Type, Authorization",
                response.headers().firstValue("Access-Control-Allow-Headers").orElseThrow());
    }

    @Test
    void refusesOversizedHeadersWithoutAStackTrace() throws Exception {
        String answer = raw("GET /.well-known/matrix/client HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "
                + "a".repeat(oversizedHeaderBytes()) + "\r\n\r\n", false);
        assertOversizedRefused(answer);
        assertFalse(answer.contains("Exception") || answer.contains("\tat "), answer);
    }

    /** How big a header the binding's server refuses. */
    protected int oversizedHeaderBytes() {
        return 70_000;
    }

    /** How the binding's server refuses an oversized header block: by default 431 or 400. */
    protected void assertOversizedRefused(String answer) {
        assertTrue(answer.startsWith("HTTP/1.1 431") || answer.startsWith("HTTP/1.1 400"), answer);
    }

    /**
     * Sends raw bytes and reads what comes back until the server closes or 5 seconds pass, or (unless
     * {@code untilClose}) until one complete response has arrived.
     */
    protected String raw(String request, boolean untilClose) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                // the server may close before reading everything; its answer is what counts
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    read.write(buffer, 0, n);
                    if (!untilClose && read.toString(StandardCharsets.US_ASCII).contains("\r\n\r\n") && complete(read)) {
                        break;
                    }
                }
            } catch (java.net.SocketTimeoutException | java.net.SocketException e) {
                // what was read so far is the answer
            }
            return read.toString(StandardCharsets.US_ASCII);
        }
    }

    private static boolean complete(ByteArrayOutputStream read) {
        String text = read.toString(StandardCharsets.US_ASCII);
        int end = text.indexOf("\r\n\r\n");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(text.substring(0, end));
        return m.find() && text.length() - end - 4 >= Integer.parseInt(m.group(1));
    }
}
