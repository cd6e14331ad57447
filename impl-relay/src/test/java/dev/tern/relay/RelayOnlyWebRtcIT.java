package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.TurnCredentials;
import dev.tern.testing.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real WebRTC stack through Tern: two node-datachannel (libdatachannel) peers with relay-only ICE
 * and Tern as their only ICE server open a data channel and exchange messages
 * ({@code src/test/node/relay-only.js}). Installs the pinned npm packages with {@code npm ci} when
 * {@code node_modules} is missing.
 */
class RelayOnlyWebRtcIT {

    private static final Path NODE_DIR = Path.of("src", "test", "node").toAbsolutePath();
    private static final Pattern CANDIDATE_TYPE = Pattern.compile("typ (\\w+)");

    @BeforeAll
    static void installNodePackages() throws Exception {
        Processes.require("node", "install Node.js 18 or later (apt-get install -y nodejs npm)");
        Processes.require("npm", "install npm (apt-get install -y npm)");
        if (!Files.isDirectory(NODE_DIR.resolve("node_modules").resolve("node-datachannel"))) {
            Processes.Finished ci = Processes.run(List.of("npm", "ci", "--no-audit", "--no-fund"), NODE_DIR,
                    Duration.ofMinutes(5));
            assertEquals(0, ci.exitCode(), "npm ci in " + NODE_DIR + " failed:\n" + ci.output());
        }
    }

    @Test
    void twoPeersExchangeDataChannelMessagesThroughTernOnly() throws Exception {
        RecordingListener events = new RecordingListener();
        // Relay ports on 127.0.0.2 and only that address allowed as a peer: as in a real deployment, the
        // clients' own addresses (127.0.0.1) are not the relay's, so a pair that bypasses a relay cannot work.
        RelayConfig config = RelayConfig.builder(RelayFixture.REALM)
                .listen("udp://127.0.0.1:0")
                .relayAddress("127.0.0.2")
                .ports("40000-60000")
                .allowedPeers("127.0.0.2")
                .threads(2)
                .build();
        try (RelayFixture relay = RelayFixture.start(config, dev.tern.spi.PolicyEvaluator.PERMISSIVE)) {
            relay.server().addListener(events);
            TurnCredentials credentials = relay.credentials("@alice:tern.test");
            Processes.Finished result = Processes.run(List.of("node", "relay-only.js", "127.0.0.1",
                    Integer.toString(relay.port()), credentials.username(), credentials.password(), "5"), NODE_DIR,
                    Duration.ofSeconds(60));
            String out = result.output();
            assertEquals(0, result.exitCode(), out);
            for (int i = 0; i < 5; i++) {
                assertTrue(out.contains("\"echo:message-" + i + "\""), out);
            }
            Matcher types = CANDIDATE_TYPE.matcher(out.substring(out.indexOf("\"candidates\"")));
            int candidates = 0;
            while (types.find()) {
                assertEquals("relay", types.group(1), "only relay candidates may be gathered and used:\n" + out);
                candidates++;
            }
            assertTrue(candidates >= 2, out);
            Matcher pairTypes = Pattern.compile("\"type\":\"(\\w+)\"").matcher(out);
            int pairEnds = 0;
            while (pairTypes.find()) {
                assertEquals("relay", pairTypes.group(1), "both selected pairs are relay to relay:\n" + out);
                pairEnds++;
            }
            assertEquals(4, pairEnds, out);
            assertTrue(out.contains("\"address\":\"127.0.0.2\""), out);
            assertTrue(events.events.stream().filter(e -> e.startsWith("created")).count() >= 2, events.events::toString);
            // Relayed address to relayed address of one relay: each datagram is handed from one allocation to the
            // other inside the relay, never sent to the relay itself (#16 point 12), so on either plane user space
            // carries the call (a kernel route would deliver to the relay's own socket).
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(3);
            while (relay.server().dataPlane().user().packets() == 0 && System.nanoTime() - deadline < 0) {
                Thread.sleep(50);
            }
            assertTrue(relay.server().dataPlane().user().packets() > 0, relay.server().dataPlane().toString());
            assertEquals(0, relay.server().dataPlane().kernel().packets(),
                    "the kernel carried none of the call: " + relay.server().dataPlane());
        }
    }
}
