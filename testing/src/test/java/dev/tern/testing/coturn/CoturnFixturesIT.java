package dev.tern.testing.coturn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fixtures drive real coturn: a relayed run with TURN REST credentials loses nothing; failures are loud. */
class CoturnFixturesIT {

    private static final String SECRET = "tern-testing-fixture-secret-0123456789";

    @TempDir
    Path dir;

    @Test
    void uclientRelaysThroughTurnserverToThePeerWithRestCredentials() throws Exception {
        try (Turnserver server = Turnserver.withAuthSecrets(List.of(SECRET), "example.org", dir);
                TurnutilsPeer peer = TurnutilsPeer.start(dir)) {
            String username = (System.currentTimeMillis() / 1000 + 600) + ":@alice:example.org";
            Uclient.Run run = Uclient.relay(dir, server.port(), username, restPassword(username), peer.port(), 2, 10);

            String context = run.output() + "\n--- turnserver ---\n" + server.log();
            assertEquals(0, run.exitCode(), context);
            assertEquals(20, run.sent().orElse(-1), context);
            assertEquals(20, run.received().orElse(-1), context);
            assertEquals(0, run.lost().orElse(-1), context);
        }
    }

    @Test
    void turnserverThatCannotStartFailsWithItsLog() throws IOException {
        Path badConfig = Files.writeString(dir.resolve("bad.conf"), "listening-ip=203.0.113.77\n");
        IOException e = assertThrows(IOException.class,
                () -> Turnserver.builder(dir).configFile(badConfig).port(9).startTimeout(Duration.ofSeconds(3)).start()
                        .close());
        assertFalse(e.getMessage().isBlank());
        assertTrue(e.getMessage().contains("STUN on port 9") || e.getMessage().contains("exited"), e.getMessage());
    }

    private static String restPassword(String username) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
    }
}
