package dev.tern.examples.homeserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    private Process peer;

    @AfterEach
    void stop() {
        if (homeserver != null) {
            homeserver.close();
        }
        stop(peer);
    }

    @Test
    void clientGetsCredentialsOverHttpAndRelaysThroughTheInProcessRelay() throws Exception {
        int relayPort = freePort();
        int low = 40_000 + ThreadLocalRandom.current().nextInt(100) * 200;
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
                """.formatted(relayPort, relayPort, low, low + 199));
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

        int peerPort = freePort();
        peer = echoPeer(peerPort);
        String output = uclient(relayPort, credentials.get("username").asText(), credentials.get("password").asText(),
                peerPort);
        assertEquals("40", last(output, "tot_recv_msgs=(\\d+)"), output);
        assertEquals("0", last(output, "Total lost packets (\\d+)"), output);

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

    private String uclient(int relayPort, String username, String password, int peerPort) throws Exception {
        List<String> command = new ArrayList<>(List.of(require("turnutils_uclient").toString(), "-u", username, "-w",
                password, "-e", "127.0.0.1", "-r", Integer.toString(peerPort), "-p", Integer.toString(relayPort),
                "-n", "20", "-m", "2", "-l", "120", "-z", "5", "-c", "-X", "127.0.0.1"));
        Path log = Files.createTempFile(dir, "uclient-", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                fail("turnutils_uclient did not finish within 60 s:\n" + Files.readString(log, StandardCharsets.ISO_8859_1));
            }
            String output = Files.readString(log, StandardCharsets.ISO_8859_1);
            assertEquals(0, process.exitValue(), output);
            return output;
        } finally {
            stop(process);
        }
    }

    private Process echoPeer(int port) throws Exception {
        Process process = new ProcessBuilder(require("turnutils_peer").toString(), "-L", "127.0.0.1", "-p",
                Integer.toString(port)).redirectErrorStream(true).redirectOutput(dir.resolve("peer.log").toFile()).start();
        try (DatagramSocket socket = new DatagramSocket(0, LOOPBACK)) {
            socket.setSoTimeout(200);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                socket.send(new DatagramPacket(new byte[] {1, 2, 3, 4}, 4, LOOPBACK, port));
                try {
                    socket.receive(new DatagramPacket(new byte[64], 64));
                    return process;
                } catch (SocketTimeoutException notYet) {
                    // retry until the deadline
                }
            }
        }
        stop(process);
        return fail("turnutils_peer did not echo on port " + port + " within 10 s");
    }

    private static String last(String output, String regex) {
        Matcher m = Pattern.compile(regex).matcher(output);
        String found = null;
        while (m.find()) {
            found = m.group(1);
        }
        return found;
    }

    /** The binary on PATH, or a failed test saying how to install it. Never a skip. */
    private static Path require(String binary) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(d, binary);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return fail(binary + " is not on PATH; install coturn (apt-get install -y coturn) to run this test");
    }

    private static int freePort() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (DatagramSocket udp = new DatagramSocket(0, LOOPBACK)) {
                int port = udp.getLocalPort();
                try (ServerSocket tcp = new ServerSocket(port, 1, LOOPBACK)) {
                    return port;
                } catch (IOException taken) {
                    // try another
                }
            }
        }
        throw new IOException("no free port on loopback after 50 attempts");
    }

    private static void stop(Process process) {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
