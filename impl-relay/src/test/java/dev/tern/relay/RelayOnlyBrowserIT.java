package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tern.spi.PolicyEvaluator;
import dev.tern.spi.TurnCredentials;
import dev.tern.testing.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real WebRTC stack through Tern's TCP and TLS listeners: two {@code RTCPeerConnection}s in headless
 * Chromium with relay-only ICE and one {@code turn:...?transport=tcp} or {@code turns:} URL as their only
 * ICE server open a data channel and exchange messages ({@code src/test/node/relay-only-browser.js}).
 * node-datachannel cannot be used here: its libjuice backend refuses TURN over TCP and TLS ("TURN
 * transports TCP and TLS are not supported with libjuice"). Installs the pinned npm packages with
 * {@code npm ci} when playwright-core is missing.
 */
class RelayOnlyBrowserIT {

    private static final Path NODE_DIR = Path.of("src", "test", "node").toAbsolutePath();
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Pattern PROTOCOL = Pattern.compile("\"relayProtocol\":\"(\\w+)\"");
    private static Path dir;

    @BeforeAll
    static void installBrowserDriver() throws Exception {
        Processes.require("node", "install Node.js 18 or later (apt-get install -y nodejs npm)");
        Processes.require("npm", "install npm (apt-get install -y npm)");
        if (!Files.isExecutable(CHROMIUM)) {
            fail(CHROMIUM + " is missing: install Debian's Chromium (apt-get install -y chromium)");
        }
        if (!Files.isDirectory(NODE_DIR.resolve("node_modules").resolve("playwright-core"))) {
            Processes.Finished ci = Processes.run(List.of("npm", "ci", "--no-audit", "--no-fund"), NODE_DIR,
                    Duration.ofMinutes(5));
            assertEquals(0, ci.exitCode(), "npm ci in " + NODE_DIR + " failed:\n" + ci.output());
        }
        dir = Files.createTempDirectory("tern-browser-it");
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (dir != null) {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private static void callThrough(String scheme, String query, ListenEndpoint.Scheme listener, String protocol)
            throws Exception {
        Path cert = dir.resolve(scheme + "-cert.pem");
        Path key = dir.resolve(scheme + "-key.pem");
        TestCertificates.selfSigned(cert, key, "127.0.0.1");
        // Relay ports on 127.0.0.2 and only that address allowed as a peer, so a pair bypassing the relay cannot work.
        RelayConfig config = RelayConfig.builder(RelayFixture.REALM)
                .listen(listener.text() + "://127.0.0.1:0")
                .relayAddress("127.0.0.2")
                .ports("40000-60000")
                .allowedPeers("127.0.0.2")
                .threads(2)
                .tls(RelayConfig.Tls.of(cert, key))
                .build();
        RecordingListener events = new RecordingListener();
        try (RelayFixture relay = RelayFixture.start(config, PolicyEvaluator.PERMISSIVE)) {
            relay.server().addListener(events);
            TurnCredentials c = relay.credentials("@alice:tern.test");
            String url = scheme + ":127.0.0.1:" + relay.port() + query;
            Processes.Finished result = Processes.run(List.of("node", "relay-only-browser.js", url,
                    c.username(), c.password(), "5"), NODE_DIR, Duration.ofSeconds(90));
            String out = result.output();
            assertEquals(0, result.exitCode(), out);
            for (int i = 0; i < 5; i++) {
                assertTrue(out.contains("\"echo:message-" + i + "\""), out);
            }
            assertTrue(!out.contains("typ host") && !out.contains("typ srflx") && out.contains("typ relay"), out);
            Matcher protocols = PROTOCOL.matcher(out);
            int pairs = 0;
            while (protocols.find()) {
                assertEquals(protocol, protocols.group(1), "the browser reached the relay over " + protocol + ":\n" + out);
                pairs++;
            }
            assertEquals(2, pairs, out);
            assertTrue(events.events.stream().filter(e -> e.startsWith("created")).count() >= 2, events.events::toString);
        }
    }

    @Test
    void twoBrowserPeersExchangeMessagesThroughTernOverTcpOnly() throws Exception {
        callThrough("turn", "?transport=tcp", ListenEndpoint.Scheme.TCP, "tcp");
    }

    @Test
    void twoBrowserPeersExchangeMessagesThroughTernOverTlsOnly() throws Exception {
        callThrough("turns", "?transport=tcp", ListenEndpoint.Scheme.TLS, "tls");
    }
}
