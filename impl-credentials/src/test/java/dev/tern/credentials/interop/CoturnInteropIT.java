package dev.tern.credentials.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.Secret;
import dev.tern.spi.Subject;
import dev.tern.spi.TurnCredentials;
import dev.tern.credentials.LongTermKeys;
import dev.tern.credentials.TestContexts;
import dev.tern.credentials.rest.RestCredentialsConfig;
import dev.tern.credentials.rest.RestCredentialsProvider;
import dev.tern.spi.CredentialIssuer;
import dev.tern.spi.CredentialVerifier;
import dev.tern.spi.Verification;
import dev.tern.testing.AtOnce;
import dev.tern.testing.Processes;
import dev.tern.testing.coturn.Turnserver;
import dev.tern.testing.coturn.TurnutilsPeer;
import dev.tern.testing.coturn.Uclient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Tern's TURN REST credentials against a real coturn: what Tern issues relays through {@code turnserver}
 * with no loss, rotation keeps working on both sides, coturn refuses what has expired, and what coturn's own
 * client mints from the secret verifies in Tern.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Execution(ExecutionMode.CONCURRENT) // the tests share only the turnservers and the echo peer, each its own clients
class CoturnInteropIT {

    static final String REALM = "example.org";
    static final Duration NO_CAP = Duration.ofSeconds(Long.MAX_VALUE);
    static final int CLIENTS = 2;
    static final int MESSAGES = 50;

    private final String newSecret = randomSecret();
    private final String oldSecret = randomSecret();

    private Path dir;
    private ScheduledExecutorService scheduler;
    private Turnserver current;
    private Turnserver midRotation;
    private TurnutilsPeer peer;
    private int peerPort;

    private static String randomSecret() {
        byte[] bytes = new byte[24];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    @BeforeAll
    void startCoturn() throws Exception {
        dir = Files.createTempDirectory("tern-coturn-it");
        scheduler = Executors.newSingleThreadScheduledExecutor();
        current = Turnserver.withAuthSecrets(List.of(newSecret), REALM, dir);
        midRotation = Turnserver.withAuthSecrets(List.of(oldSecret, newSecret), REALM, dir);
        peer = TurnutilsPeer.start(dir);
        peerPort = peer.port();
    }

    @AfterAll
    void stopCoturn() throws Exception {
        if (peer != null) {
            peer.close();
        }
        if (current != null) {
            current.close();
        }
        if (midRotation != null) {
            midRotation.close();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private CredentialIssuer issuer(List<String> secrets, String separator, Clock clock) {
        RestCredentialsConfig config = RestCredentialsConfig.builder()
                .secrets(secrets.stream().map(Secret::of).toList())
                .uris(List.of("turn:127.0.0.1?transport=udp"))
                .separator(separator)
                .cacheSize(0)
                .build();
        return new RestCredentialsProvider().create(config, TestContexts.with(clock, scheduler, dir));
    }

    private CredentialIssuer issuer(String... secrets) {
        return issuer(List.of(secrets), null, Clock.systemUTC());
    }

    private Uclient.Run relay(Turnserver server, TurnCredentials credentials) throws Exception {
        return Uclient.relay(dir, server.port(), credentials.username(), credentials.password(), peerPort, CLIENTS,
                MESSAGES);
    }

    private static void assertRelayedWithoutLoss(Uclient.Run run, Turnserver server) {
        String context = run.output() + "\n--- turnserver log ---\n" + server.log();
        assertEquals(0, run.exitCode(), context);
        assertEquals(CLIENTS * MESSAGES, run.sent().orElse(-1), context);
        assertEquals(CLIENTS * MESSAGES, run.received().orElse(-1), context);
        assertEquals(0, run.lost().orElse(-1), context);
    }

    @Test
    void coturnRelaysWithCredentialsTernIssued() throws Exception {
        TurnCredentials credentials = issuer(newSecret).issue(Subject.user("@alice:example.org"), NO_CAP);

        assertRelayedWithoutLoss(relay(current, credentials), current);
    }

    @Test
    void coturnRelaysForAGuestWithTheGuestsUserId() throws Exception {
        TurnCredentials credentials = issuer(newSecret).issue(Subject.guest("@1234:example.org"), NO_CAP);

        assertTrue(credentials.username().endsWith(":@1234:example.org"), credentials.username());
        assertRelayedWithoutLoss(relay(current, credentials), current);
    }

    @Test
    void afterRotationCoturnWithTheNewSecretAcceptsWhatTernIssuesAndTernStillAcceptsOldCredentials()
            throws Exception {
        TurnCredentials beforeRotation = issuer(oldSecret).issue(Subject.user("@bob:example.org"), NO_CAP);
        CredentialIssuer rotated = issuer(newSecret, oldSecret);

        TurnCredentials afterRotation = rotated.issue(Subject.user("@bob:example.org"), NO_CAP);
        assertRelayedWithoutLoss(relay(current, afterRotation), current);

        CredentialVerifier verifier = rotated.verifier().orElseThrow();
        Verification.Accepted old = assertInstanceOf(Verification.Accepted.class,
                verifier.verify(beforeRotation.username(), REALM));
        assertEquals(Optional.of(old.keys().get(1)), LongTermKeys.matching(old, REALM, beforeRotation.password()));
        Verification.Accepted fresh = assertInstanceOf(Verification.Accepted.class,
                verifier.verify(afterRotation.username(), REALM));
        assertEquals(Optional.of(fresh.keys().get(0)), LongTermKeys.matching(fresh, REALM, afterRotation.password()));
    }

    @Test
    void coturnFleetInMidRotationRelaysWithCredentialsSignedByEitherSecret() throws Exception {
        TurnCredentials beforeRotation = issuer(oldSecret).issue(Subject.user("@carol:example.org"), NO_CAP);
        TurnCredentials afterRotation = issuer(newSecret, oldSecret).issue(Subject.user("@carol:example.org"), NO_CAP);
        assertNotEquals(beforeRotation.password(), afterRotation.password());

        AtOnce.run(() -> relay(midRotation, beforeRotation), () -> relay(midRotation, afterRotation))
                .forEach(run -> assertRelayedWithoutLoss(run, midRotation));
    }

    @Test
    void coturnRefusesAnExpiredCredentialAsTernDoes() throws Exception {
        Clock twoHoursAgo = Clock.offset(Clock.systemUTC(), Duration.ofHours(-2));
        CredentialIssuer issuer = issuer(List.of(newSecret), null, twoHoursAgo);
        TurnCredentials expired = issuer.issue(Subject.user("@dave:example.org"), NO_CAP);

        Uclient.Run run = relay(current, expired);

        String context = run.output() + "\n--- turnserver log ---\n" + current.log();
        assertNotEquals(0, run.exitCode(), context);
        assertTrue(run.received().orElse(0) == 0, context);
        assertTrue(current.log().contains("Cannot find credentials of user <" + expired.username() + ">"), context);
        assertInstanceOf(Verification.Expired.class,
                issuer(newSecret).verifier().orElseThrow().verify(expired.username(), REALM));
    }

    @Test
    void credentialsCoturnsClientMintsFromTheSecretVerifyInTern() throws Exception {
        CredentialVerifier verifier = issuer(newSecret).verifier().orElseThrow();

        IntegrityCheckingStunServer.Attempt attempt = authenticateWithCoturnClient(verifier,
                List.of("-W", newSecret, "-u", "alice"));

        Verification.Accepted accepted = assertInstanceOf(Verification.Accepted.class, attempt.verification());
        assertEquals("alice", accepted.userId());
        assertTrue(attempt.username().endsWith(":alice"), attempt.username());
        assertEquals(0, attempt.matchingKey(), "MESSAGE-INTEGRITY must match the key of the signing secret");
    }

    @Test
    void credentialsCoturnsClientMintsFromTheOldSecretWithACustomSeparatorMatchTheSecondKey() throws Exception {
        CredentialVerifier verifier = issuer(List.of(newSecret, oldSecret), "-", Clock.systemUTC()).verifier()
                .orElseThrow();

        IntegrityCheckingStunServer.Attempt attempt = authenticateWithCoturnClient(verifier,
                List.of("-W", oldSecret, "-C", "-", "-u", "bob"));

        Verification.Accepted accepted = assertInstanceOf(Verification.Accepted.class, attempt.verification());
        assertEquals("bob", accepted.userId());
        assertTrue(attempt.username().endsWith("-bob"), attempt.username());
        assertEquals(1, attempt.matchingKey(), "MESSAGE-INTEGRITY must match the key of the second secret");
    }

    private IntegrityCheckingStunServer.Attempt authenticateWithCoturnClient(CredentialVerifier verifier,
            List<String> credentialArguments) throws Exception {
        try (IntegrityCheckingStunServer probe = new IntegrityCheckingStunServer(verifier, REALM)) {
            List<String> arguments = new java.util.ArrayList<>(credentialArguments);
            arguments.addAll(List.of("-e", "127.0.0.1", "-r", Integer.toString(peerPort), "-p",
                    Integer.toString(probe.port()), "-n", "1", "-m", "1", "-c", "-X", "127.0.0.1"));
            Process client = Uclient.start(dir, arguments);
            try {
                IntegrityCheckingStunServer.Attempt attempt = probe.attempts().poll(20, TimeUnit.SECONDS);
                assertNotNull(attempt, "turnutils_uclient sent no authenticated request within 20 s");
                return attempt;
            } finally {
                Processes.stop(client);
            }
        }
    }
}
