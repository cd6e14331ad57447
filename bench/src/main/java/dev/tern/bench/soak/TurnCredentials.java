package dev.tern.bench.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * TURN credentials as a Matrix client gets them: {@code GET /_matrix/client/v3/voip/turnServer} with its access
 * token. Immutable.
 *
 * @param username the TURN REST username
 * @param password its password
 */
record TurnCredentials(String username, String password) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Asks the Matrix endpoints at {@code http} for this token's credentials.
     *
     * @throws IOException when the answer is not 200 with a username and a password
     */
    static TurnCredentials fetch(HttpClient client, InetSocketAddress http, String token)
            throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(turnServer(http))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("turnServer answered " + response.statusCode() + ": " + response.body());
        }
        JsonNode body = JSON.readTree(response.body());
        if (!body.path("username").isTextual() || !body.path("password").isTextual()) {
            throw new IOException("turnServer answered without username and password: " + response.body());
        }
        return new TurnCredentials(body.get("username").asText(), body.get("password").asText());
    }

    /** The Matrix TURN endpoint of a server at {@code http}. */
    static URI turnServer(InetSocketAddress http) {
        return URI.create("http://" + http.getHostString() + ":" + http.getPort() + "/_matrix/client/v3/voip/turnServer");
    }

    @Override
    public String toString() {
        return "TurnCredentials[" + username + "]";
    }
}
