package dev.tern.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.testing.AtOnce;
import dev.tern.testing.FreePorts;
import dev.tern.testing.Processes;
import dev.tern.testing.coturn.TurnutilsPeer;
import dev.tern.testing.coturn.Uclient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #16, defect 3, for real: {@code tern serve} under {@code prlimit --nofile=1024} (the usual limit), 1 100
 * idle connections to the Matrix HTTP port and 660 to the admin port from 11 loopback addresses. The HTTP port
 * keeps at most {@code matrix.connections.max} (512) and refuses the rest, the admin port stops at the
 * descriptor reserve, and meanwhile the relay still allocates over UDP and TURN over TCP still accepts and relays.
 * Idle connections that never send their request headers are closed after {@code header_timeout} (30 s here, so
 * that a busy machine has time to open them all first), and HTTP serves again. The config is the embedded default
 * with that one key added. Before the fix, the relay answered Allocate with 508 and TURN TCP stopped accepting.
 */
class FloodedPortsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ADDRESSES = 11;

    @TempDir
    Path dir;

    private ServingLauncher tern;
    private String token;
    private TurnutilsPeer peer;
    private final List<SocketChannel> flood = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (SocketChannel ch : flood) {
            ch.close();
        }
        if (tern != null) {
            tern.close();
        }
        if (peer != null) {
            peer.close();
        }
    }

    @Test
    void idleConnectionsToTheHttpAndAdminPortsCannotStarveTheRelay() throws Exception {
        Processes.require("prlimit", "apt-get install util-linux");
        DefaultConfig.Ports ports = new DefaultConfig.Ports(FreePorts.udpAndTcp(), FreePorts.udpAndTcp(),
                FreePorts.udpAndTcp());
        DefaultConfig defaults = DefaultConfig.prepare(dir.resolve("tern-data"), ports);
        token = defaults.developmentToken();
        String slowDeadline = "  connections: { header_timeout: 30s }\n";
        Path config = Files.writeString(dir.resolve("tern.yaml"), defaults.render(true)
                .replace("\nmatrix:\n", "\nmatrix:\n" + slowDeadline).replace("\nmetrics:\n", "\nmetrics:\n" + slowDeadline));
        tern = ServingLauncher.start(dir, List.of("prlimit", "--nofile=1024"), List.of("--config", config.toString()),
                ports.relay(), ports.http(), ports.admin());
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        JsonNode credentials = JSON.readTree(turnServer(http).body());
        String username = credentials.get("username").asText();
        String password = credentials.get("password").asText();
        peer = TurnutilsPeer.start(dir);

        List<SocketChannel> toHttp = connect(tern.httpPort(), 100);
        List<SocketChannel> toAdmin = connect(tern.adminBase().getPort(), 60);
        // The server may take a while to accept them all on a busy machine: wait for the counts, not a time.
        int httpOpen = awaitAtMost(toHttp, 512);
        int adminOpen = awaitAtMost(toAdmin, 1024 - 102 - httpOpen);
        String context = "HTTP kept " + httpOpen + " of " + toHttp.size() + ", admin kept " + adminOpen + " of "
                + toAdmin.size() + "\n--- tern ---\n" + tern.output();
        assertTrue(httpOpen <= 512, "the HTTP port keeps at most matrix.connections.max: " + context);
        assertTrue(httpOpen + adminOpen < 1024 - 102, "HTTP and admin stop at the descriptor reserve: " + context);
        assertTrue(adminOpen < toAdmin.size(), "the admin port refused some at the reserve: " + context);
        int answered = answeredOfFive(tern.httpPort());
        assertTrue(answered < 5 && httpOpen + answered <= 512, "further HTTP connections are refused at the cap: "
                + answered + " of 5 answered; " + context);

        // Over UDP and over TCP at once: independent clients, and uclient spends most of a run waiting.
        AtOnce.run(() -> Uclient.relay(dir, tern.relayPort(), username, password, peer.port(), 2, 20),
                () -> Uclient.relayOverTcp(dir, tern.relayPort(), username, password, peer.port(), 2, 20))
                .forEach(this::assertRelayedAll);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (openCount(flood) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        assertEquals(0, openCount(flood), "connections that never sent their headers are closed after "
                + "header_timeout (30 s)\n--- tern ---\n" + tern.output());
        assertEquals(200, turnServer(http).statusCode(), "HTTP serves again");

        long refusalLines = tern.output().lines().filter(l -> l.contains("refused a connection")).count();
        assertTrue(refusalLines >= 1 && refusalLines <= 2 * ADDRESSES + 2,
                "refusals are logged once per address and minute, not once each: " + refusalLines + " lines");
    }

    private HttpResponse<String> turnServer(HttpClient http) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tern.httpPort()
                + "/_matrix/client/v3/voip/turnServer"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Opens {@code perAddress} idle connections to {@code port} from each of 127.0.0.2 ... 127.0.0.12. */
    private List<SocketChannel> connect(int port, int perAddress) throws IOException {
        List<SocketChannel> opened = new ArrayList<>();
        for (int a = 0; a < ADDRESSES; a++) {
            InetAddress from = InetAddress.getByName("127.0.0." + (2 + a));
            for (int i = 0; i < perAddress; i++) {
                SocketChannel ch = SocketChannel.open();
                flood.add(ch);
                opened.add(ch);
                ch.bind(new InetSocketAddress(from, 0));
                try {
                    ch.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                } catch (IOException refused) {
                    // the kernel may refuse some while the listener is busy; what counts is what the server keeps
                }
                ch.configureBlocking(false);
            }
        }
        return opened;
    }

    /**
     * How many of these connections the server still holds, once at most {@code bound} (or after 60 s) and then
     * steady for two seconds (no more being refused).
     */
    private static int awaitAtMost(List<SocketChannel> connections, int bound) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int open = openCount(connections);
        while (open > bound && System.nanoTime() < deadline) {
            Thread.sleep(500);
            open = openCount(connections);
        }
        for (int last = -1; open != last && System.nanoTime() < deadline; ) {
            last = open;
            Thread.sleep(2000);
            open = openCount(connections);
        }
        return open;
    }

    private static int openCount(List<SocketChannel> connections) {
        int open = 0;
        ByteBuffer buffer = ByteBuffer.allocate(1024);
        for (SocketChannel ch : connections) {
            if (!ch.isOpen() || !ch.isConnected()) {
                continue;
            }
            try {
                buffer.clear();
                if (ch.read(buffer) >= 0) {
                    open++;
                } else {
                    ch.close();
                }
            } catch (IOException reset) {
                closeQuietly(ch);
            }
        }
        return open;
    }

    /**
     * How many of five new connections from another address, each sending a whole request and held open until
     * all five are tried, get an answer rather than being closed.
     */
    private int answeredOfFive(int port) throws IOException {
        int answered = 0;
        for (int i = 0; i < 5; i++) {
            SocketChannel ch = SocketChannel.open();
            flood.add(ch);
            ch.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.20"), 0));
            try {
                ch.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                ch.write(ByteBuffer.wrap("GET /.well-known/matrix/client HTTP/1.1\r\nHost: x\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII)));
                ch.socket().setSoTimeout(10_000);
                if (ch.socket().getInputStream().read() >= 0) {
                    answered++;
                }
            } catch (IOException reset) {
                // refused
            }
        }
        return answered;
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing a reset connection
        }
    }

    private void assertRelayedAll(Uclient.Run run) {
        String context = run.output() + "\n--- tern ---\n" + tern.output();
        assertEquals(0, run.exitCode(), context);
        assertEquals(40, run.received().orElse(-1), context);
        assertEquals(0, run.lost().orElse(-1), context);
    }
}
