package dev.tern.bench.soak;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A round of requests to the Matrix endpoints per cycle, good and bad: credentials with a known token
 * (header and legacy query), an unknown token and none (from one of 256 addresses behind the trusted proxy), the well-known document, OPTIONS, a POST, an unknown
 * path; then by hand a request line of garbage, headers past {@code max_header_size}, and a request cut off
 * mid-header. A cycle fails on a 5xx or on an answer of the wrong kind (a bad token that gets credentials).
 */
final class HttpChurn implements Activity {

    private final HttpClient client;
    private final InetSocketAddress http;
    private final List<String> tokens;

    HttpChurn(HttpClient client, InetSocketAddress http, List<String> tokens) {
        this.client = client;
        this.http = http;
        this.tokens = List.copyOf(tokens);
    }

    @Override
    public String name() {
        return "http";
    }

    @Override
    public void cycle() throws IOException, InterruptedException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        URI turnServer = TurnCredentials.turnServer(http);
        String token = tokens.get(random.nextInt(tokens.size()));
        expect("known token", get(turnServer, "Bearer " + token), 200, 429);
        expect("legacy query token", send(HttpRequest.newBuilder(URI.create(turnServer + "?access_token=" + token))),
                200, 429);
        // Guesses come from many addresses (through the trusted proxy, 127.0.0.1), as from a botnet: a bucket each,
        // and the address the soak's own users come from is not limited by them.
        String guesser = "198.51.100." + random.nextInt(256);
        expect("unknown token", send(HttpRequest.newBuilder(turnServer).header("X-Forwarded-For", guesser)
                .header("Authorization", "Bearer soak-unknown-" + random.nextInt(1000))), 401, 429);
        expect("no token", send(HttpRequest.newBuilder(turnServer).header("X-Forwarded-For", guesser)), 401, 429);
        expect("well-known", send(HttpRequest.newBuilder(base().resolve("/.well-known/matrix/client"))), 200);
        expect("OPTIONS", send(HttpRequest.newBuilder(turnServer).method("OPTIONS", HttpRequest.BodyPublishers.noBody())),
                200, 204);
        expect("POST", send(HttpRequest.newBuilder(turnServer).POST(HttpRequest.BodyPublishers.ofString("{}"))), 405);
        expect("unknown path", send(HttpRequest.newBuilder(base().resolve("/_matrix/client/v3/nothing-here"))), 404);
        raw("GARBAGE \u0001\u0002 NOT-HTTP\r\n\r\n");
        raw("GET /_matrix/client/v3/voip/turnServer HTTP/1.1\r\nHost: x\r\nX-Padding: " + "a".repeat(9000) + "\r\n\r\n");
        raw("GET /.well-known/matrix/client HTTP/1.1\r\nHost: x\r\nX-Cut-Off: ");
    }

    private URI base() {
        return URI.create("http://" + http.getHostString() + ":" + http.getPort() + "/");
    }

    private HttpResponse<String> get(URI uri, String authorization) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri).header("Authorization", authorization));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void expect(String what, HttpResponse<String> response, int... statuses) throws IOException {
        for (int status : statuses) {
            if (response.statusCode() == status) {
                return;
            }
        }
        throw new IOException(what + ": HTTP " + response.statusCode() + " " + response.body());
    }

    /** Sends bytes by hand and reads whatever comes back until the server closes or 5 s pass. */
    private void raw(String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(http, 5000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            socket.shutdownOutput();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            if (answer.startsWith("HTTP/1.1 5")) {
                throw new IOException("a malformed request got " + answer.lines().findFirst().orElse(""));
            }
        } catch (java.net.SocketTimeoutException e) {
            throw new IOException("the server neither answered nor closed a malformed request within 5 s", e);
        }
    }
}
