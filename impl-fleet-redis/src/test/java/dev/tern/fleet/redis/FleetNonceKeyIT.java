package dev.tern.fleet.redis;

import static dev.tern.fleet.redis.FleetIT.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.admin.http.ReadinessCheck;
import dev.tern.credentials.rest.TurnRestPassword;
import dev.tern.spi.MetricsRecorder;
import dev.tern.spi.RelayStatus;
import dev.tern.spi.RelayStatus.NonceKeyOrigin;
import dev.tern.spi.Secret;
import dev.tern.stun.StunAttribute;
import dev.tern.stun.StunMethod;
import dev.tern.stun.TransactionId;
import dev.tern.testing.FreePorts;
import dev.tern.testing.redis.RedisServer;
import dev.tern.turn.client.StunResponse;
import dev.tern.turn.client.TurnClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nonce key of a fleet's relays on a real redis-server: relays without {@code relay.nonce_key} share one through
 * Redis (a nonce of one relay is good at another, as a browser following 300 Try Alternate needs), relays with
 * different configured keys or one that fell back to its own key are reported (log, {@code /health/ready}), and no
 * key reaches the log.
 */
class FleetNonceKeyIT {

    private static final String KEY_ONE = "nonce-key-one-0123456789abcdef";
    private static final String KEY_TWO = "nonce-key-two-0123456789abcdef";
    private static final String ALICE = "@alice:example.org";

    @TempDir
    Path dir;

    private RedisServer redis;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start(dir);
        originalErr = System.err;
        System.setErr(new PrintStream(new TeeStream(log, originalErr), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stopAll() throws Exception {
        try {
            for (int i = closing.size() - 1; i >= 0; i--) {
                closing.get(i).close();
            }
            redis.close();
        } finally {
            System.setErr(originalErr);
        }
    }

    private FleetRelay relay(String id, String relayKeys) throws Exception {
        FleetRelay relay = FleetRelay.start(dir, id, "uri: \"" + redis.uri() + "\", namespace: nk", relayKeys);
        closing.add(relay);
        return relay;
    }

    @Test
    void relaysWithoutAKeyShareTheOneTheFirstStoredAndAcceptEachOthersNonces() throws Exception {
        FleetRelay a = relay("relay-a", "");
        FleetRelay b = relay("relay-b", "");
        String stored;
        try (RedisClient client = RedisClient.create(redis.uri());
                StatefulRedisConnection<String, String> c = client.connect()) {
            stored = c.sync().get("nk:nonce_key");
            assertTrue(stored != null && stored.matches("[0-9a-f]{64}"), "a random 32-byte key, in hex");
            assertEquals(-1L, c.sync().ttl("nk:nonce_key"), "no expiry");
        }
        await("both relays live", Duration.ofSeconds(5), () -> a.fleet().liveRelays().size() == 2);
        RelayStatus.Setup setupA = a.fleet().liveRelays().get(0).setup();
        RelayStatus.Setup setupB = a.fleet().liveRelays().get(1).setup();
        assertEquals(NonceKeyOrigin.FLEET, setupA.nonceKeyOrigin());
        assertEquals(NonceKeyOrigin.FLEET, setupB.nonceKeyOrigin());
        assertEquals(setupA.nonceKeyDigest(), setupB.nonceKeyDigest());
        assertEquals(FleetNonceKey.digest(HexFormat.of().parseHex(stored)), setupA.nonceKeyDigest());

        assertTrue(allocateAtBWithTheNonceOfA(a, b).success(), "relay B accepts relay A's nonce: no 438");
        assertEquals("ready", readiness(a).status(), readiness(a).toString());
        assertKeyNotLogged(HexFormat.of().parseHex(stored));
    }

    @Test
    void relaysWithDifferentConfiguredKeysAreReported() throws Exception {
        FleetRelay a = relay("relay-a", "nonce_key: \"" + KEY_ONE + "\",");
        FleetRelay b = relay("relay-b", "nonce_key: \"" + KEY_TWO + "\",");
        await("relay A sees relay B's other key", Duration.ofSeconds(5),
                () -> readiness(a).checks().get("fleet").contains("another nonce key"));
        ReadinessCheck.Readiness ready = readiness(a);
        assertEquals("degraded: relay relay-b uses another nonce key: 300 Try Alternate will fail for browsers",
                ready.checks().get("fleet"), ready.toString());
        await("relay B sees relay A's", Duration.ofSeconds(5), () -> readiness(b).checks().get("fleet")
                .equals("degraded: relay relay-a uses another nonce key: 300 Try Alternate will fail for browsers"));
        for (RelayStatus r : a.fleet().liveRelays()) {
            assertEquals(NonceKeyOrigin.CONFIGURED, r.setup().nonceKeyOrigin());
        }
        assertNotEquals(a.fleet().liveRelays().get(0).setup().nonceKeyDigest(),
                a.fleet().liveRelays().get(1).setup().nonceKeyDigest());
        assertFalse(allocateAtBWithTheNonceOfA(a, b).success(), "another key refuses the nonce");
        Thread.sleep(600); // three more beats: the warning is not repeated while nothing changes
        String text = log.toString(StandardCharsets.UTF_8);
        assertEquals(1, count(text, "fleet of relay relay-a: relay relay-b uses another nonce key"), text);
        assertEquals(1, count(text, "fleet of relay relay-b: relay relay-a uses another nonce key"), text);
        assertKeyNotLogged(KEY_ONE.getBytes(StandardCharsets.UTF_8));
        assertKeyNotLogged(KEY_TWO.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aRelayStartedWhileRedisIsDownUsesItsOwnKeyAndIsReported() throws Exception {
        FleetRelay a = relay("relay-a", "");
        redis.kill();
        long started = System.nanoTime();
        FleetRelay b = relay("relay-b", "");
        // It waits up to 3 s for Redis (the default timeout's bound), then starts on its own key.
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(8).toNanos(), "the relay does not wait long");
        String text = log.toString(StandardCharsets.UTF_8);
        assertEquals(1, count(text, "relay relay-b could not read the fleet's shared nonce key"), text);

        redis.restart(); // empty: relay A puts the fleet's key back, relay B keeps its own under its allocations
        await("relay A sees relay B's own key", Duration.ofSeconds(8), () -> readiness(a).checks().get("fleet")
                .equals("degraded: relay relay-b uses another nonce key: 300 Try Alternate will fail for browsers"));
        RelayStatus statusB = a.fleet().liveRelays().get(1);
        assertEquals("relay-b", statusB.relayId());
        assertEquals(NonceKeyOrigin.OWN, statusB.setup().nonceKeyOrigin());
        String digestA = a.fleet().liveRelays().get(0).setup().nonceKeyDigest();
        try (RedisClient client = RedisClient.create(redis.uri());
                StatefulRedisConnection<String, String> c = client.connect()) {
            await("relay A put the fleet's key back", Duration.ofSeconds(3),
                    () -> c.sync().get("nk:nonce_key") != null);
            byte[] key = HexFormat.of().parseHex(c.sync().get("nk:nonce_key"));
            assertEquals(digestA, FleetNonceKey.digest(key), "the key relay A signs with");
            assertKeyNotLogged(key);
        }
        assertFalse(allocateAtBWithTheNonceOfA(a, b).success(), "relay B's own key refuses relay A's nonce");
    }

    /**
     * Allocates at relay A (taking its nonce), then sends an Allocate signed with that nonce from the same client
     * address and port (a nonce is bound to them) to relay B, as a browser following 300 Try Alternate does.
     */
    private StunResponse allocateAtBWithTheNonceOfA(FleetRelay a, FleetRelay b) throws Exception {
        String username = Instant.now().plus(Duration.ofHours(1)).getEpochSecond() + ":" + ALICE;
        DatagramChannel channel = DatagramChannel.open().bind(new InetSocketAddress(FreePorts.LOOPBACK, 0));
        channel.connect(new InetSocketAddress(FreePorts.LOOPBACK, a.relay().listenAddresses().get(0).getPort()));
        TurnClient atA = TurnClient.over(channel, Duration.ofSeconds(2))
                .credentials(username, TurnRestPassword.of(Secret.of(FleetRelay.SECRET), username));
        closing.add(atA);
        assertTrue(atA.allocate().success(), "allocated at relay A");
        byte[] signed = atA.build(StunMethod.ALLOCATE,
                w -> w.u8Padded(StunAttribute.REQUESTED_TRANSPORT, StunAttribute.TRANSPORT_UDP),
                TransactionId.random(), true);
        channel.disconnect();
        channel.connect(new InetSocketAddress(FreePorts.LOOPBACK, b.relay().listenAddresses().get(0).getPort()));
        StunResponse atB = TurnClient.over(channel, Duration.ofSeconds(2)).exchange(signed);
        if (!atB.success()) {
            assertTrue(atB.errorCode() == 438 || atB.errorCode() == 401, "refused for the nonce: " + atB.errorCode());
        }
        return atB;
    }

    private static ReadinessCheck.Readiness readiness(FleetRelay relay) {
        return new ReadinessCheck(relay.tern(), MetricsRecorder.NONE, Clock.systemUTC(), Duration.ofSeconds(2)).check();
    }

    private void assertKeyNotLogged(byte[] key) {
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("joined fleet"), "the capture works: " + text);
        for (String form : List.of(new String(key, StandardCharsets.ISO_8859_1), HexFormat.of().formatHex(key),
                HexFormat.of().withUpperCase().formatHex(key), Base64.getEncoder().encodeToString(key),
                Base64.getUrlEncoder().withoutPadding().encodeToString(key))) {
            assertFalse(text.contains(form), "a nonce key in the log");
        }
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    /** Writes to the capture and on to where the log went before, so a failing run still shows it. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream capture;
        private final java.io.OutputStream through;

        TeeStream(java.io.OutputStream capture, java.io.OutputStream through) {
            this.capture = capture;
            this.through = through;
        }

        @Override
        public synchronized void write(int b) throws java.io.IOException {
            capture.write(b);
            through.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws java.io.IOException {
            capture.write(b, off, len);
            through.write(b, off, len);
        }
    }
}
