package dev.tern.examples.homeserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.testing.FreePorts;
import dev.tern.testing.PortRange;
import dev.tern.testing.coturn.TurnutilsPeer;
import dev.tern.testing.coturn.Uclient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client logs in to the embedded homeserver, gets TURN credentials from its {@code /voip/turnServer} over
 * HTTP, and relays packets through the homeserver's in-process relay with coturn's {@code turnutils_uclient}
 * to {@code turnutils_peer}: none lost.
 */
class EmbeddedHomeserverIT {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private EmbeddedHomeserver homeserver;
    private TurnutilsPeer peer;

    @AfterEach
    void stop() {
        if (homeserver != null) {
            homeserver.close();
        }
        if (peer != null) {
            peer.close();
        }
    }

    @Test
    void clientGetsCredentialsOverHttpAndRelaysThroughTheInProcessRelay() throws Exception {
        int relayPort = FreePorts.udpAndTcp();
        PortRange relayPorts = FreePorts.relayRange(200);
        Path config = Files.writeString(dir.resolve("tern.yaml"), """
                server_name: example.org
                credentials:
                  type: rest
                  secrets: ["embedded-homeserver-test-secret-0123456789"]
                  uris: ["turn:127.0.0.1:%d?transport=udp"]
                policy: { defaults: { force_relay: true } }
                relay:
                  type: netty
                  realm: example.org
                  listen: ["udp://127.0.0.1:%d"]
                  ports: %d-%d
                  allowed_peers: ["127.0.0.1"]
                  channel_numbers: coturn   # turnutils_uclient binds channels up to 0x7FFF
                matrix:
                  well_known: { m.homeserver: { base_url: "https://matrix.example.org" } }
                """.formatted(relayPort, relayPort, relayPorts.min(), relayPorts.max()));
        homeserver = EmbeddedHomeserver.start(config, new InetSocketAddress(LOOPBACK, 0), new Sessions());
        String token = homeserver.sessions().login("@alice:example.org", false);
        String base = "http://127.0.0.1:" + homeserver.httpAddress().getPort();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        HttpResponse<String> unknown = get(http, base + "/_matrix/client/v3/voip/turnServer", "syt_not_a_session");
        assertEquals(401, unknown.statusCode(), unknown.body());
        assertEquals("M_UNKNOWN_TOKEN", JSON.readTree(unknown.body()).get("errcode").asText());
        HttpResponse<String> wellKnown = get(http, base + "/.well-known/matrix/client", null);
        assertTrue(JSON.readTree(wellKnown.body()).get("im.vector.riot.forceTurn").asBoolean(), wellKnown.body());
        assertEquals(200, get(http, base + "/_matrix/client/versions", null).statusCode(), "the homeserver's own route");

        HttpResponse<String> response = get(http, base + "/_matrix/client/v3/voip/turnServer", token);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode credentials = JSON.readTree(response.body());
        assertTrue(credentials.get("username").asText().endsWith(":@alice:example.org"), response.body());
        assertEquals(List.of(new InetSocketAddress(LOOPBACK, relayPort)), homeserver.relayAddresses());

        peer = TurnutilsPeer.start(dir);
        Uclient.Run run = Uclient.relay(dir, relayPort, credentials.get("username").asText(),
                credentials.get("password").asText(), peer.port(), 2, 20);
        assertEquals(0, run.exitCode(), run.output());
        assertEquals(40, run.received().orElseThrow(), run.output());
        assertEquals(0, run.lost().orElseThrow(), run.output());

        homeserver.sessions().logout(token);
        assertEquals(401, get(http, base + "/_matrix/client/v3/voip/turnServer", token).statusCode(),
                "the homeserver's own check decides");
    }

    private static HttpResponse<String> get(HttpClient http, String url, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
