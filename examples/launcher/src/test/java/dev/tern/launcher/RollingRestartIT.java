package dev.tern.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.Injector;
import dev.tern.spi.Secret;
import dev.tern.config.ConfigLoader;
import dev.tern.config.TernConfig;
import dev.tern.credentials.rest.TurnRestPassword;
import dev.tern.guice.TernInjector;
import dev.tern.guice.TernLifecycle;
import dev.tern.turn.client.StunResponse;
import dev.tern.turn.client.TurnClient;
import dev.tern.spi.Fleet;
import dev.tern.spi.RelayServer;
import dev.tern.spi.RelayStatus;
import dev.tern.testing.FreePorts;
import dev.tern.testing.PortRange;
import dev.tern.testing.Processes;
import dev.tern.testing.browser.PlaywrightScript;
import dev.tern.testing.coturn.TurnutilsPeer;
import dev.tern.testing.coturn.Uclient;
import dev.tern.testing.redis.RedisServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rolling restart of a fleet of three relays on one Redis (#18 points 5 and 8), with the relays built from config
 * as {@code tern serve} builds them (in this JVM, so that a restart takes a second, not a JVM start): each relay in
 * turn drains while coturn's {@code turnutils_uclient} relays through it over channels, is stopped once its
 * allocations ended (or its 20 s deadline passed) and is started again on the same port. Every uclient client live on
 * the relay when it began to drain that ends before the deadline must lose no packet; a new Allocate on a draining
 * relay gets 300 naming another live relay of the fleet, read from Redis, which takes the allocation; a uclient run
 * started against the draining relay follows the 300 and relays through the alternate. Alongside the uclient load, two
 * relay-only WebRTC data channel flows (node-datachannel, {@code impl-relay/src/test/node/relay-only.js}, one message
 * per 100 ms) run on the relay when it begins to drain: each that ends before the deadline must get every echo back
 * and stay on that relay. Installs the pinned npm packages there with {@code npm ci} when they are missing.
 * The totals go to {@code target/rolling-restart.txt} (the README reports them).
 */
class RollingRestartIT {

    private static final String SECRET = "rolling-restart-secret-0123456789";
    private static final int RELAYS = 3;
    private static final Duration DRAIN_DEADLINE = Duration.ofSeconds(20);
    private static final Path NODE_DIR = Path.of("..", "..", "impl-relay", "src", "test", "node").toAbsolutePath()
            .normalize();
    /**
     * The relays relay from here, not from 127.0.0.1 where they listen: libjuice also sends its checks from its own
     * socket, and on one loopback address a peer's relay port would let them in (a permission names an IP address
     * only), so the selected pairs would not be relayed. Peers' sockets on 127.0.0.1 get no permission here.
     */
    private static final String RELAY_ADDRESS = "127.0.0.2";
    private static final int WEBRTC_FLOWS = 2;
    private static final int WEBRTC_MESSAGES = 60;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A uclient run and when it ended. */
    private record Timed(Uclient.Run run, Instant end) {
    }

    /** A running relay-only.js flow: its process, its log and when it ended. */
    private record Flow(Process process, Path log, CompletableFuture<Instant> end) {
    }

    @BeforeAll
    static void installNodePackages() throws IOException {
        // impl-relay's lockfile pins node-datachannel (and playwright-core, whose presence PlaywrightScript checks).
        PlaywrightScript.in(NODE_DIR, "relay-only.js");
    }

    @TempDir
    Path dir;

    /** One relay of the fleet: its config file and, while it runs, what the config built. */
    private final class Relay {
        final String id;
        final int port;
        final PortRange ports;
        final Path config;
        Injector injector;

        Relay(String id, int port, PortRange ports, Path config) {
            this.id = id;
            this.port = port;
            this.ports = ports;
            this.config = config;
        }

        void start() {
            TernConfig loaded = ConfigLoader.standard().load(config);
            injector = TernInjector.create(loaded);
            injector.getInstance(TernLifecycle.class).start();
        }

        RelayServer server() {
            return injector.getInstance(dev.tern.api.Tern.class).relay().orElseThrow();
        }

        Fleet fleet() {
            return injector.getInstance(Fleet.class);
        }

        /** What SIGTERM and tern drain do to tern serve: drain for relay.drain_deadline, then stop and deregister. */
        CompletableFuture<Void> drainAndStop() {
            TernLifecycle lifecycle = injector.getInstance(TernLifecycle.class);
            Duration deadline = ConfigLoader.standard().load(config).drainDeadline();
            assertEquals(DRAIN_DEADLINE, deadline);
            return CompletableFuture.runAsync(() -> lifecycle.drainAndStop(deadline));
        }

        void stop() {
            if (injector != null) {
                injector.getInstance(TernLifecycle.class).stop();
            }
        }
    }

    private static String username() {
        return Instant.now().plus(Duration.ofHours(1)).getEpochSecond() + ":@load:example.org";
    }

    private static String password(String username) {
        return TurnRestPassword.of(Secret.of(SECRET), username);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within 15 s: " + what);
            }
            Thread.sleep(50);
        }
    }

    private static boolean allLiveAndAccepting(Relay observer) {
        List<RelayStatus> live = observer.fleet().liveRelays();
        return live.size() == RELAYS && live.stream().noneMatch(RelayStatus::draining);
    }

    @Test
    void aRollingRestartUnderUclientLoadLosesNoRelayedPacket() throws Exception {
        List<Relay> relays = new ArrayList<>();
        ExecutorService load = Executors.newCachedThreadPool(); // the common pool may have one thread here
        long runs = 0;
        long sent = 0;
        long lost = 0;
        int redirected = 0;
        long followerSent = 0;
        long followerLost = 0;
        int outlived = 0;
        long controlSent = 0;
        long controlLost = 0;
        int webrtcFlows = 0;
        long webrtcSent = 0;
        long webrtcLost = 0;
        int webrtcOutlived = 0;
        List<Process> nodes = new ArrayList<>();
        try (RedisServer redis = RedisServer.start(dir); TurnutilsPeer peer = TurnutilsPeer.start(dir)) {
            for (int i = 1; i <= RELAYS; i++) {
                int port = FreePorts.udpAndTcp();
                PortRange ports = FreePorts.relayRange(40);
                Path config = dir.resolve("relay-" + i + ".yaml");
                Files.writeString(config, """
                        server_name: example.org
                        credentials: { type: rest, secrets: ["%s"], uris: ["turn:127.0.0.1:%d?transport=udp"] }
                        relay:
                          type: netty
                          realm: example.org
                          listen: ["udp://127.0.0.1:%d"]
                          relay_address: %s
                          ports: %s
                          allowed_peers: ["127.0.0.1", "%s"]
                          channel_numbers: coturn
                          threads: 1
                          drain_deadline: 20s
                          data_plane: user
                        fleet: { type: redis, uri: "%s", namespace: rolling, relay_id: relay-%d, heartbeat: 200ms, missed_beats: 3 }
                        """.formatted(SECRET, port, port, RELAY_ADDRESS, ports, RELAY_ADDRESS, redis.uri(), i));
                Relay relay = new Relay("relay-" + i, port, ports, config);
                relay.start();
                relays.add(relay);
            }
            await("three live relays in Redis", () -> allLiveAndAccepting(relays.get(0)));

            for (Relay relay : relays) {
                // Relay-only WebRTC live on the relay when it begins to drain: data channel flows, open before the
                // uclient load starts, 60 messages one per 100 ms, so they run through the start of the drain.
                List<Flow> flows = new ArrayList<>();
                for (int f = 0; f < WEBRTC_FLOWS; f++) {
                    flows.add(startFlow(relay, relay.id + "-flow-" + f));
                    nodes.add(flows.get(f).process());
                }
                for (Flow flow : flows) {
                    Processes.awaitOutput(flow.process(), flow.log(), "open", Duration.ofSeconds(30));
                }
                // Load that is live on the relay when it begins to drain: two uclient processes, one client each,
                // 400 messages 5 ms apart; the drain starts once both have allocated.
                int before = relay.server().allocations().size(); // uclient leaves its allocations to expire
                List<CompletableFuture<Timed>> during = new ArrayList<>();
                for (int c = 1; c <= 2; c++) {
                    String user = username();
                    during.add(CompletableFuture.supplyAsync(() -> new Timed(uclient(relay.port, user, peer.port(), 1,
                            200), Instant.now()), load));
                    int expected = before + c;
                    await(relay.id + " carries load " + c, () -> relay.server().allocations().size() >= expected);
                }
                // A control at the same time on a relay that does not drain: what this machine loses anyway.
                Relay steady = relays.get((relays.indexOf(relay) + 1) % RELAYS);
                String controlUser = username();
                CompletableFuture<Uclient.Run> control = CompletableFuture.supplyAsync(() -> uclient(steady.port,
                        controlUser, peer.port(), 1, 200), load);
                Thread.sleep(300); // their channels are bound
                Instant deadline = Instant.now().plus(DRAIN_DEADLINE);
                CompletableFuture<Void> drained = relay.drainAndStop();
                await(relay.id + " drains", () -> relay.server().draining());
                // Only flows still running once the drain began count (on a slow machine one may have ended first).
                List<Flow> underDrain = flows.stream().filter(f -> f.process().isAlive()).toList();

                // A new client of the draining relay is sent to another live relay of the fleet, read from Redis.
                String moving = username();
                try (TurnClient client = new TurnClient(new InetSocketAddress("127.0.0.1", relay.port),
                        Duration.ofSeconds(5)).credentials(moving, password(moving))) {
                    StunResponse answer = client.allocate();
                    assertEquals(300, answer.errorCode(), relay.id + " while draining");
                    int alternate = answer.alternateServer().orElseThrow().getPort();
                    assertTrue(relays.stream().anyMatch(r -> r != relay && r.port == alternate),
                            "ALTERNATE-SERVER names another relay of the fleet: " + alternate);
                    try (TurnClient moved = new TurnClient(new InetSocketAddress("127.0.0.1", alternate),
                            Duration.ofSeconds(5)).credentials(moving, password(moving))) {
                        assertTrue(moved.allocate().success(), "the alternate takes the allocation");
                    }
                    redirected++;
                }
                // coturn's client follows the 300 to the alternate and relays there.
                Uclient.Run follower = uclient(relay.port, username(), peer.port(), 1, 40);
                assertEquals(0, follower.exitCode(), follower.output());
                assertTrue(follower.output().contains("error 300"), follower.output());
                assertTrue(follower.received().orElse(0) > 0, "relayed through the alternate:\n" + follower.output());
                followerSent += follower.sent().orElse(0);
                followerLost += follower.lost().orElse(0);
                Uclient.Run controlRun = control.get(60, TimeUnit.SECONDS);
                controlSent += controlRun.sent().orElse(0);
                controlLost += controlRun.lost().orElse(0);
                for (CompletableFuture<Timed> future : during) {
                    Timed timed = future.get(60, TimeUnit.SECONDS);
                    Uclient.Run run = timed.run();
                    assertEquals(0, run.exitCode(), run.output());
                    if (timed.end().isAfter(deadline)) {
                        // Outlived the deadline (a slow machine): the relay closed it, so it may lose packets.
                        outlived++;
                        continue;
                    }
                    assertEquals(0, run.lost().orElse(-1), relay.id + " drained under this run (the control on "
                            + steady.id + " lost " + controlRun.lost().orElse(-1) + "):\n" + run.output());
                    runs++;
                    sent += run.sent().orElse(0);
                    lost += run.lost().orElse(0);
                }
                for (Flow flow : underDrain) {
                    Instant end = flow.end().get(60, TimeUnit.SECONDS);
                    String out = Processes.read(flow.log());
                    if (end.isAfter(deadline)) {
                        webrtcOutlived++;
                        continue;
                    }
                    JsonNode result = JSON.readTree(out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
                            .orElseThrow(() -> new AssertionError("no result from " + flow.log() + ":\n" + out)));
                    assertEquals(0, flow.process().exitValue(), relay.id + " drained under this flow:\n" + out);
                    assertEquals(0, result.path("missing").size(), out);
                    for (String pair : List.of("pairA", "pairB")) {
                        JsonNode local = result.path(pair).path("local");
                        int relayed = local.path("port").asInt();
                        assertTrue(local.path("type").asText().equals("relay")
                                        && local.path("address").asText().equals(RELAY_ADDRESS)
                                        && relayed >= relay.ports.min() && relayed <= relay.ports.max(),
                                pair + " relayed by " + relay.id + " (" + RELAY_ADDRESS + ", " + relay.ports
                                        + ") throughout:\n" + out);
                    }
                    webrtcFlows++;
                    webrtcSent += WEBRTC_MESSAGES;
                    webrtcLost += result.path("missing").size();
                }
                drained.get(30, TimeUnit.SECONDS);
                relay.start();
                await(relay.id + " back in the fleet", () -> allLiveAndAccepting(relays.get(0)));
            }
        } finally {
            nodes.forEach(Processes::stop);
            relays.forEach(Relay::stop);
            load.shutdownNow();
        }
        Files.writeString(Path.of("target", "rolling-restart.txt"), "rolling restart of " + RELAYS + " relays: "
                + runs + " uclient clients live on a draining relay, " + sent + " packets sent, " + lost + " lost; "
                + redirected + " Allocates sent elsewhere by 300 Try Alternate; uclient runs started against a draining "
                + "relay (following its 300): " + followerSent + " sent, " + followerLost + " lost; " + outlived
                + " clients outlived the drain deadline (not counted); control clients on relays not draining at the "
                + "time: " + controlSent + " sent, " + controlLost + " lost; relay-only WebRTC (node-datachannel) "
                + "data channel flows live on a draining relay: " + webrtcFlows + " flows, " + webrtcSent
                + " messages sent, " + webrtcLost + " echoes lost; " + webrtcOutlived
                + " flows outlived the drain deadline (not counted)\n");
        assertTrue(runs >= RELAYS, "at least one client per relay ended before its relay's deadline: " + runs);
        assertEquals(0, lost);
        assertTrue(webrtcFlows >= RELAYS, "at least one flow per relay ran into its drain and ended before the "
                + "deadline: " + webrtcFlows);
        assertEquals(0, webrtcLost);
    }

    /**
     * Starts a paced relay-only.js flow (two relay-only peers, {@value #WEBRTC_MESSAGES} messages one per 100 ms)
     * whose only ICE server is {@code relay}, its output going to a log named after {@code name}.
     */
    private Flow startFlow(Relay relay, String name) throws IOException {
        String user = username();
        Path log = dir.resolve(name + ".log");
        Process process = new ProcessBuilder(List.of("node", "relay-only.js", "127.0.0.1",
                Integer.toString(relay.port), user, password(user), Integer.toString(WEBRTC_MESSAGES), "100"))
                .directory(NODE_DIR.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Flow(process, log, process.onExit().thenApply(p -> Instant.now()));
    }

    private Uclient.Run uclient(int port, String username, int peerPort, int clients, int messages) {
        try {
            return Uclient.relay(dir, port, username, password(username), peerPort, clients, messages);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
