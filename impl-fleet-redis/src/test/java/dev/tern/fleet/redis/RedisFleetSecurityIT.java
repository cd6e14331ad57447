package dev.tern.fleet.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.testing.redis.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Redis AUTH from a password file and TLS with a CA file (#18 point 6), against a real redis-server. */
class RedisFleetSecurityIT {

    private static final String PASSWORD = "redis-test-password-4f1c";

    @TempDir
    Path dir;

    @Test
    void joinsOverTlsWithThePasswordFromAFile() throws Exception {
        try (RedisServer redis = RedisServer.start(dir, Optional.of(PASSWORD), true)) {
            Path passwordFile = Files.writeString(dir.resolve("redis-password"), PASSWORD + "\n");
            try (FleetRelay relay = FleetRelay.start(dir, "relay-tls", "uri: \"" + redis.uri() + "\", password_file: "
                    + passwordFile + ", ca_file: " + redis.certificate().orElseThrow())) {
                long start = System.nanoTime();
                FleetIT.await("registered over TLS", Duration.ofSeconds(20), () -> relay.fleet().health().up()
                        && relay.fleet().liveRelays().size() == 1);
                System.err.println("registered over TLS after " + (System.nanoTime() - start) / 1_000_000 + " ms");
                assertEquals("relay-tls", relay.fleet().liveRelays().get(0).relayId());
                relay.tern().revoke("@alice:example.org").toCompletableFuture().get();
                FleetIT.await("revocation seen", Duration.ofSeconds(2),
                        () -> relay.fleet().revokedAt("@alice:example.org").isPresent());
            }
        }
    }

    @Test
    void aWrongPasswordLeavesTheRelayDegradedWithoutShowingIt() throws Exception {
        try (RedisServer redis = RedisServer.start(dir, Optional.of(PASSWORD), false)) {
            Path passwordFile = Files.writeString(dir.resolve("redis-password"), "not-the-password-9x");
            try (FleetRelay relay = FleetRelay.start(dir, "relay-auth", "uri: \"" + redis.uri()
                    + "\", password_file: " + passwordFile)) {
                FleetIT.await("authentication refused", Duration.ofSeconds(10),
                        () -> relay.fleet().health().detail().contains("authentication refused"));
                assertFalse(relay.fleet().health().up());
                String detail = relay.fleet().health().detail();
                assertFalse(detail.contains("not-the-password"), detail);
                assertTrue(relay.fleet().liveRelays().isEmpty());
                assertTrue(relay.client("@alice:example.org").allocate().success(), "the relay allocates alone");
            }
        }
    }
}
