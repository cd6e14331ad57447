package dev.tern.credentials.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.api.Secret;
import dev.tern.api.Subject;
import dev.tern.api.TurnCredentials;
import dev.tern.credentials.LongTermKeys;
import dev.tern.credentials.TestContexts;
import dev.tern.spi.InvalidSettingException;
import dev.tern.spi.Verification;
import dev.tern.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFilesTest {

    static final String FIRST = "first-secret-from-a-file-0123456";
    static final String SECOND = "second-secret-from-a-file-012345";
    static final Duration NO_CAP = Duration.ofSeconds(Long.MAX_VALUE);

    @TempDir
    Path dir;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final MutableClock clock = new MutableClock(Instant.ofEpochMilli(1_700_000_000_000L));

    @AfterEach
    void stopScheduler() {
        scheduler.shutdownNow();
    }

    private RestCredentialIssuer issuer(List<Path> files, Duration reloadInterval) {
        RestCredentialsConfig config = RestCredentialsConfig.builder()
                .secretFiles(files)
                .cacheSize(100)
                .secretReloadInterval(reloadInterval)
                .build();
        return RestCredentialIssuer.create(config, TestContexts.with(clock, scheduler, dir));
    }

    private static void write(Path file, String text, int secondsLater) throws Exception {
        Files.writeString(file, text);
        // Filesystems with coarse timestamps may not see a quick rewrite; move the time on explicitly.
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(secondsLater)));
    }

    private static String passwordOf(RestCredentialIssuer issuer) {
        TurnCredentials credentials = issuer.issue(Subject.user("@alice:example.org"), NO_CAP);
        return credentials.password();
    }

    @Test
    void readsOneSecretPerFileRelativeToTheConfigDirectoryIgnoringTheNewline() throws Exception {
        write(dir.resolve("turn.secret"), FIRST + "\n", 0);
        RestCredentialIssuer issuer = issuer(List.of(Path.of("turn.secret")), null);

        TurnCredentials credentials = issuer.issue(Subject.user("@alice:example.org"), NO_CAP);

        assertEquals(TurnRestPassword.of(Secret.of(FIRST), credentials.username()), credentials.password());
    }

    @Test
    void putsInlineSecretsBeforeFileSecrets() throws Exception {
        write(dir.resolve("old.secret"), SECOND, 0);
        RestCredentialsConfig config = RestCredentialsConfig.builder()
                .secrets(List.of(Secret.of(FIRST)))
                .secretFiles(List.of(Path.of("old.secret")))
                .cacheSize(0)
                .build();
        RestCredentialIssuer issuer = RestCredentialIssuer.create(config, TestContexts.with(clock, scheduler, dir));
        TurnCredentials credentials = issuer.issue(Subject.user("@alice:example.org"), NO_CAP);

        Verification.Accepted accepted = assertInstanceOf(Verification.Accepted.class,
                issuer.verifier().orElseThrow().verify(credentials.username(), "r"));

        assertEquals(TurnRestPassword.of(Secret.of(FIRST), credentials.username()), credentials.password());
        assertEquals(LongTermKeys.derive(credentials.username(), "r",
                TurnRestPassword.of(Secret.of(SECOND), credentials.username())), accepted.keys().get(1));
    }

    @Test
    void refusesAMissingFileAtStartupNamingIt() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> issuer(List.of(Path.of("missing.secret")), null));

        assertEquals("secret_files[0]", e.key());
        assertTrue(e.problem().contains("missing.secret"), e.problem());
    }

    @Test
    void refusesAWeakSecretFileAtStartupWithoutShowingIt() throws Exception {
        write(dir.resolve("weak.secret"), "short-secret", 0);

        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> issuer(List.of(Path.of("weak.secret")), null));

        assertTrue(e.key().startsWith("secret_files[0]"), e.key());
        assertFalse(e.getMessage().contains("short-secret"), e.getMessage());
    }

    @Test
    void picksUpAChangedFileAndStopsReusingCredentialsSignedByTheOldSecret() throws Exception {
        Path file = dir.resolve("turn.secret");
        write(file, FIRST, 0);
        RestCredentialIssuer issuer = issuer(List.of(file), null);
        String before = passwordOf(issuer);

        write(file, SECOND, 5);
        assertTrue(issuer.reloadSecrets());
        TurnCredentials after = issuer.issue(Subject.user("@alice:example.org"), NO_CAP);

        assertEquals(TurnRestPassword.of(Secret.of(SECOND), after.username()), after.password());
        assertFalse(before.equals(after.password()));
    }

    @Test
    void keepsTheLastGoodSecretsWhenAnEditIsBad() throws Exception {
        Path file = dir.resolve("turn.secret");
        write(file, FIRST, 0);
        RestCredentialIssuer issuer = issuer(List.of(file), null);

        write(file, "weak", 5);
        assertFalse(issuer.reloadSecrets());
        Files.delete(file);
        assertFalse(issuer.reloadSecrets());

        TurnCredentials credentials = issuer.issue(Subject.user("@alice:example.org"), NO_CAP);
        assertEquals(TurnRestPassword.of(Secret.of(FIRST), credentials.username()), credentials.password());
    }

    @Test
    void doesNotReloadAnUnchangedFile() throws Exception {
        write(dir.resolve("turn.secret"), FIRST, 0);
        RestCredentialIssuer issuer = issuer(List.of(dir.resolve("turn.secret")), null);

        assertFalse(issuer.reloadSecrets());
    }

    @Test
    void pollsTheFilesOnTheSchedulerUntilClosed() throws Exception {
        Path file = dir.resolve("turn.secret");
        write(file, FIRST, 0);
        RestCredentialIssuer issuer = issuer(List.of(file), Duration.ofMillis(100));
        write(file, SECOND, 5);

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        TurnCredentials credentials = issuer.issue(Subject.user("@alice:example.org"), NO_CAP);
        while (!credentials.password().equals(TurnRestPassword.of(Secret.of(SECOND), credentials.username()))
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
            credentials = issuer.issue(Subject.user("@alice:example.org"), NO_CAP);
        }
        assertEquals(TurnRestPassword.of(Secret.of(SECOND), credentials.username()), credentials.password(),
                "the new secret was not picked up within 10 s");

        issuer.close();
        write(file, FIRST, 10);
        Thread.sleep(300);
        credentials = issuer.issue(Subject.user("@alice:example.org"), NO_CAP);
        assertEquals(TurnRestPassword.of(Secret.of(SECOND), credentials.username()), credentials.password(),
                "a closed issuer must stop polling");
    }
}
