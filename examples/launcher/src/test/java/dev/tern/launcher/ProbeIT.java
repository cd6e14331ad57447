package dev.tern.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.config.ConfigLoader;
import dev.tern.testing.FreePorts;
import dev.tern.testing.PortRange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tern probe} against Tern's own relay, started in-process on loopback. */
class ProbeIT {

    private static final String SECRET = "probe-test-secret-0123456789abcdef";

    @TempDir
    static Path dir;

    private static TernService tern;
    private static int port;

    @BeforeAll
    static void startRelay() throws Exception {
        port = FreePorts.udpAndTcp();
        PortRange relayPorts = FreePorts.relayRange(200);
        Path config = Files.writeString(dir.resolve("tern.yaml"), """
                server_name: example.org
                credentials: { type: rest, secrets: ["%s"] }
                relay:
                  type: netty
                  realm: example.org
                  listen: ["udp://127.0.0.1:%d"]
                  ports: %d-%d
                  allowed_peers: ["127.0.0.1"]
                """.formatted(SECRET, port, relayPorts.min(), relayPorts.max()));
        tern = TernService.start(ConfigLoader.standard().load(config), Duration.ZERO);
    }

    @AfterAll
    static void stopRelay() {
        if (tern != null) {
            tern.close();
        }
    }

    @Test
    void probeAllocatesRelaysBothWaysAndReleases() {
        Cli run = Cli.run("probe", uri(), "--secret", SECRET, "--user-id", "@ops:example.org");
        assertEquals(0, run.exitCode(), run.toString());
        for (String step : new String[] {"binding", "allocate (A)", "allocate (B)", "permission A->B",
            "permission B->A", "relay A->B", "relay B->A", "release"}) {
            assertTrue(run.out().matches("(?s).*\\d\\. " + java.util.regex.Pattern.quote(step) + "\\s+ok .*"),
                    step + ":\n" + run);
        }
        assertTrue(run.out().contains("Relaying works."), run.toString());
        assertTrue(run.out().contains(":@ops:example.org"), run.toString());
    }

    @Test
    void probeWithAWrongSecretSaysTheSecretIsWrong() {
        Cli run = Cli.run("probe", uri(), "--secret", "not-the-secret-0123456789abcdef");
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.out().contains("allocate (A)") && run.out().contains("FAILED")
                && run.out().contains("401 Unauthorized"), run.toString());
        assertTrue(run.out().contains("the secret is wrong"), run.toString());
        assertFalse(run.out().contains("not-the-secret"), "the secret is never printed");
    }

    @Test
    void probeWithAFixedUserTheServerDoesNotKnowFailsAtAllocate() {
        Cli run = Cli.run("probe", uri(), "--user", "nobody", "--password", "guess");
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.out().contains("401"), run.toString());
        assertFalse(run.out().contains("guess"), "the password is never printed");
    }

    @Test
    void probeOfAPortWhereNothingListensTimesOut() throws Exception {
        int closed = FreePorts.udpAndTcp();
        Cli run = Cli.run("probe", "turn:127.0.0.1:" + closed, "--secret", SECRET, "--timeout", "300ms");
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.out().contains("binding") && run.out().contains("no answer from 127.0.0.1:" + closed),
                run.toString());
    }

    @Test
    void probeRefusesBadArguments() {
        assertEquals(2, Cli.run("probe", uri()).exitCode(), "credentials are required");
        assertEquals(2, Cli.run("probe", uri(), "--secret", "s", "--user", "u", "--password", "p").exitCode());
        Cli tls = Cli.run("probe", "turns:127.0.0.1:5349", "--secret", SECRET);
        assertEquals(1, tls.exitCode(), tls.toString());
        assertTrue(tls.err().contains("UDP only"), tls.toString());
    }

    private static String uri() {
        return "turn:127.0.0.1:" + port + "?transport=udp";
    }
}
