package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.PolicyEvaluator;
import dev.tern.spi.Secret;
import dev.tern.spi.TurnCredentials;
import dev.tern.testing.Processes;
import dev.tern.testing.browser.PlaywrightScript;
import dev.tern.turn.client.StunResponse;
import dev.tern.turn.client.TurnClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drain for rolling restarts (#18 point 5) under real WebRTC stacks, on a fleet of two relays without Redis (the
 * draining relay's fleet lists the live one, as the Redis fleet's cache would; see {@link ListedFleet}) that share
 * their nonce key. Each relay relays from its own address and allows only that address as a peer, so the relay
 * address of a selected candidate pair names the relay that carries a call.
 * <ul>
 *   <li>Headless Chromium's relay-only call whose one TURN URI is the draining relay: libwebrtc's TURN port follows
 *       the 300 Try Alternate to the live relay and the call connects there
 *       ({@code src/test/node/relay-only-browser.js} run in a network namespace: libwebrtc refuses an alternate on a
 *       loopback address).</li>
 *   <li>node-datachannel (libdatachannel) data channel flows already running on a relay when it starts draining
 *       stay there and lose no message, and a flow started during the drain follows the 300 to the live relay
 *       ({@code src/test/node/relay-only.js}).</li>
 * </ul>
 * Installs the pinned npm packages with {@code npm ci} when they are missing. Needs root (network namespaces).
 */
class DrainUnderWebRtcIT {

    private static final Path NODE_DIR = Path.of("src", "test", "node").toAbsolutePath();
    private static final String DRAINING_RELAY_ADDRESS = "127.0.0.2";
    private static final String LIVE_RELAY_ADDRESS = "127.0.0.3";
    private static final int FLOWS = 2;
    private static final int MESSAGES_PER_FLOW = 40;
    /**
     * The nonce key the relays share ({@code relay.nonce_key}): libwebrtc sends its Allocate to the alternate with the
     * nonce the draining relay gave it, and fails the TURN port on the 438 Stale Nonce a relay with its own key
     * answers.
     */
    private static final Secret FLEET_NONCE_KEY = Secret.of("tern-fleet-nonce-key-0123456789abcdef");
    @TempDir
    static Path dir;

    @BeforeAll
    static void installNodePackages() throws Exception {
        // One lockfile pins playwright-core and node-datachannel: this installs both when they are missing.
        PlaywrightScript.in(NODE_DIR, "relay-only-browser.js");
    }

    /**
     * A UDP relay on 127.0.0.1 relaying from {@code relayAddress}, which is also the only peer address it allows, with
     * the fleet's nonce key.
     */
    private static RelayConfig relayingFrom(String relayAddress) {
        return RelayConfig.builder(RelayFixture.REALM)
                .nonceKey(FLEET_NONCE_KEY)
                .listen("udp://127.0.0.1:0")
                .relayAddress(relayAddress)
                .ports("40000-60000")
                .allowedPeers(relayAddress)
                .threads(2)
                .build();
    }

    /** A relay relaying from 127.0.0.2 whose fleet lists {@code live} as its one live alternate. */
    private static RelayFixture drainingRelayBesides(RelayFixture live) {
        return RelayFixture.inFleet(relayingFrom(DRAINING_RELAY_ADDRESS),
                new ListedFleet("draining", List.of(ListedFleet.status("live", live.address(), false))));
    }

    private static long created(RecordingListener events) {
        return events.events.stream().filter(e -> e.startsWith("created")).count();
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }

    /** A UDP relay on {@code listen} relaying from {@code relayAddress}, also the only peer address it allows. */
    private static RelayConfig relayingFrom(String listen, String relayAddress) {
        return relayingFrom(relayAddress).toBuilder().listen("udp://" + listen + ":0").build();
    }

    @Test
    void chromiumsRelayOnlyCallToADrainingRelayConnectsThroughTheLiveRelayItsAlternateNames() throws Exception {
        // libwebrtc refuses an ALTERNATE-SERVER on a loopback address ("Blocking attempted redirect to loopback
        // address", TurnPort::SetAlternateServer), so Chromium runs in a network namespace and reaches both relays
        // on this side's address of a veth pair. The live relay relays from the other namespace's host-side address,
        // so the selected pairs' relay address names the relay that carries the call.
        List<VethNamespace> namespaces = VethNamespace.pair();
        RecordingListener liveEvents = new RecordingListener();
        RecordingListener drainingEvents = new RecordingListener();
        try (VethNamespace browser = namespaces.get(0); VethNamespace other = namespaces.get(1)) {
            String listen = browser.hostAddress().getHostAddress();
            String drainingRelay = listen;
            String liveRelay = other.hostAddress().getHostAddress();
            try (RelayFixture live = RelayFixture.start(relayingFrom(listen, liveRelay), PolicyEvaluator.PERMISSIVE);
                    RelayFixture draining = RelayFixture.inFleet(relayingFrom(listen, drainingRelay),
                            new ListedFleet("draining", List.of(ListedFleet.status("live", live.address(), false))))) {
                live.server().addListener(liveEvents);
                draining.server().addListener(drainingEvents);
                draining.server().drain(Duration.ofMinutes(1));
                TurnCredentials c = draining.credentials("@alice:tern.test");
                String onlyUri = "turn:" + listen + ":" + draining.port() + "?transport=udp";
                Processes.Finished result = Processes.run(browser.exec(List.of("node", "relay-only-browser.js",
                        onlyUri, c.username(), c.password(), "5")), NODE_DIR, Duration.ofSeconds(90));
                String out = result.output();
                assertEquals(0, result.exitCode(), "the call through " + onlyUri + " failed:\n" + out);
                for (int i = 0; i < 5; i++) {
                    assertTrue(out.contains("\"echo:message-" + i + "\""), out);
                }
                assertTrue(out.contains(liveRelay + " ") && !out.contains(drainingRelay + " "),
                        "relay candidates on the live relay only:\n" + out);
                assertEquals(2, count(out, "\"address\":\"" + liveRelay + "\""),
                        "both peers' selected pairs are on the live relay:\n" + out);
                assertTrue(created(liveEvents) >= 2, liveEvents.events::toString);
                assertEquals(0, created(drainingEvents),
                        "the draining relay allocated nothing: " + drainingEvents.events);
            }
        }
    }

    /**
     * Starts a paced {@code relay-only.js} flow (one message per 100 ms) through {@code relay} for {@code user}, its
     * output going to {@code log}.
     */
    private static Process startFlow(RelayFixture relay, String user, int messages, Path log) throws Exception {
        TurnCredentials c = relay.credentials("@" + user + ":tern.test");
        return new ProcessBuilder(List.of("node", "relay-only.js", "127.0.0.1", Integer.toString(relay.port()),
                c.username(), c.password(), Integer.toString(messages), "100"))
                .directory(NODE_DIR.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    @Test
    void dataChannelFlowsOnARelayThatStartsDrainingLoseNoMessage() throws Exception {
        RecordingListener drainingEvents = new RecordingListener();
        List<Process> flows = new ArrayList<>();
        try (RelayFixture live = RelayFixture.start(relayingFrom(LIVE_RELAY_ADDRESS), PolicyEvaluator.PERMISSIVE);
                RelayFixture draining = drainingRelayBesides(live)) {
            draining.server().addListener(drainingEvents);
            List<Path> logs = new ArrayList<>();
            for (int i = 0; i < FLOWS; i++) {
                logs.add(dir.resolve("flow-" + i + ".log"));
                flows.add(startFlow(draining, "flow" + i, MESSAGES_PER_FLOW, logs.get(i)));
            }
            for (int i = 0; i < FLOWS; i++) {
                Processes.awaitOutput(flows.get(i), logs.get(i), "open", Duration.ofSeconds(30));
            }
            // Every flow is under way (40 messages, one per 100 ms); the relay starts draining with a deadline well
            // after their end.
            draining.server().drain(Duration.ofSeconds(60));
            try (TurnClient newcomer = draining.client("@newcomer:tern.test")) {
                StunResponse answer = newcomer.allocate();
                assertEquals(300, answer.errorCode(), "a new allocation goes elsewhere while the flows run");
                assertEquals(Optional.of(live.address()), answer.alternateServer());
            }
            Path lateLog = dir.resolve("late.log");
            Process late = startFlow(draining, "late", 5, lateLog);
            flows.add(late);
            for (int i = 0; i < FLOWS; i++) {
                Process flow = flows.get(i);
                assertTrue(flow.waitFor(60, TimeUnit.SECONDS),
                        "flow " + i + " did not end:\n" + Processes.read(logs.get(i)));
                String out = Processes.read(logs.get(i));
                assertEquals(0, flow.exitValue(), "flow " + i + " lost messages:\n" + out);
                assertTrue(out.contains("\"missing\":[]"), out);
                assertEquals(4, count(out, "\"address\":\"" + DRAINING_RELAY_ADDRESS + "\""),
                        "flow " + i + " stayed on the relay it started on:\n" + out);
            }
            assertTrue(late.waitFor(60, TimeUnit.SECONDS), "the late flow did not end:\n" + Processes.read(lateLog));
            String lateOut = Processes.read(lateLog);
            assertEquals(0, late.exitValue(), "the late flow failed:\n" + lateOut);
            assertEquals(4, count(lateOut, "\"address\":\"" + LIVE_RELAY_ADDRESS + "\""),
                    "a flow started after the drain began runs on the live relay:\n" + lateOut);
            assertTrue(draining.server().draining());
            assertEquals(2L * FLOWS, created(drainingEvents), drainingEvents.events::toString);
            assertTrue(drainingEvents.events.stream().noneMatch(e -> e.startsWith("deleted relay drained")),
                    "no allocation was closed by the drain before its deadline: " + drainingEvents.events);
        } finally {
            flows.forEach(Processes::stop);
        }
    }
}
