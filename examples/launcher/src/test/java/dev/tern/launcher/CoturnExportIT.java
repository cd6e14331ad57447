package dev.tern.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.testing.AtOnce;
import dev.tern.testing.FreePorts;
import dev.tern.testing.PortRange;
import dev.tern.testing.coturn.Turnserver;
import dev.tern.testing.coturn.TurnutilsPeer;
import dev.tern.testing.coturn.Uclient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tern export coturn} writes a file a real {@code turnserver -c FILE} accepts, and that coturn then
 * relays for credentials {@code tern credentials issue} made, with either of two rotated secrets; and
 * {@code tern probe} works against that coturn.
 */
class CoturnExportIT {

    private static final String OLD_SECRET = "old-secret-still-verifying-0123456789";
    private static final String NEW_SECRET = "new-secret-now-signing-0123456789abc";

    @TempDir
    Path dir;

    private Turnserver turnserver;
    private TurnutilsPeer peer;

    @AfterEach
    void stop() {
        if (turnserver != null) {
            turnserver.close();
        }
        if (peer != null) {
            peer.close();
        }
    }

    @Test
    void coturnStartedWithTheExportedFileRelaysForTernCredentials() throws Exception {
        int port = FreePorts.udpAndTcp();
        PortRange relayPorts = FreePorts.relayRange(200);
        Path secretFile = Files.writeString(dir.resolve("old.secret"), OLD_SECRET + "\n");
        Path config = Files.writeString(dir.resolve("tern.yaml"), """
                server_name: example.org
                credentials:
                  type: rest
                  secrets: ["%s"]
                  secret_files: ["%s"]
                  uris: ["turn:127.0.0.1:%d?transport=udp"]
                relay:
                  type: netty
                  realm: example.org
                  listen: ["udp://127.0.0.1:%d"]
                  ports: %d-%d
                  allowed_peers: ["127.0.0.1"]
                  denied_peers: ["198.51.100.0/24"]
                """.formatted(NEW_SECRET, secretFile, port, port, relayPorts.min(), relayPorts.max()));
        Path conf = dir.resolve("turnserver.conf");
        Cli exported = Cli.run("export", "coturn", "--config", config.toString(), "--output", conf.toString());
        assertEquals(0, exported.exitCode(), exported.toString());
        String text = Files.readString(conf);
        assertTrue(text.contains("static-auth-secret=" + NEW_SECRET + "\n") && text.contains("static-auth-secret="
                + OLD_SECRET + "\n"), text);
        assertTrue(text.contains("denied-peer-ip=10.0.0.0-10.255.255.255\n"), "CIDR becomes a range: " + text);
        assertTrue(text.contains("denied-peer-ip=198.51.100.0-198.51.100.255\n"), text);
        assertTrue(text.contains("allowed-peer-ip=127.0.0.1\n"), text);
        assertTrue(text.contains("min-port=" + relayPorts.min() + "\nmax-port=" + relayPorts.max() + "\n"), text);

        turnserver = Turnserver.builder(dir).configFile(conf).port(port).start();

        peer = TurnutilsPeer.start(dir);
        int peerPort = peer.port();
        Cli issued = Cli.run("credentials", "issue", "@alice:example.org", "--config", config.toString());
        assertEquals(0, issued.exitCode(), issued.toString());
        // A client still holding credentials signed with the old secret (before rotation) is accepted too; both
        // clients at once: independent, and uclient spends most of a run waiting.
        String username = (System.currentTimeMillis() / 1000 + 600) + ":@bob:example.org";
        AtOnce.run(() -> Uclient.relay(dir, port, field(issued.out(), "username"), field(issued.out(), "password"),
                peerPort, 2, 20),
                () -> Uclient.relay(dir, port, username, CommandsTest.hmacSha1(OLD_SECRET, username), peerPort, 2, 20))
                .forEach(this::assertRelays);

        Cli probe = Cli.run("probe", "turn:127.0.0.1:" + port + "?transport=udp", "--secret", OLD_SECRET);
        assertEquals(0, probe.exitCode(), "tern probe works against coturn too: " + probe + "\n" + turnserver.log());
    }

    private void assertRelays(Uclient.Run run) {
        String context = run.output() + "\n--- turnserver ---\n" + turnserver.log();
        assertEquals(0, run.exitCode(), context);
        assertEquals(40, run.received().orElse(-1), context);
        assertEquals(0, run.lost().orElse(-1), context);
    }

    private static String field(String output, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + ": (.*)$").matcher(output);
        assertTrue(m.find(), "no " + name + " in " + output);
        return m.group(1).strip();
    }
}
