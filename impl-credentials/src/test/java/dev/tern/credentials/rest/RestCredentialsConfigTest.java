package dev.tern.credentials.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.api.Secret;
import dev.tern.spi.InvalidSettingException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestCredentialsConfigTest {

    static final Secret STRONG = Secret.of("n0t-a-real-secret-but-long-enough");

    private static RestCredentialsConfig config(List<Secret> secrets, Boolean allowWeak) {
        return RestCredentialsConfig.builder().secrets(secrets).allowWeakSecret(allowWeak).build();
    }

    @Test
    void appliesSynapseAndCoturnDefaults() {
        RestCredentialsConfig config = config(List.of(STRONG), null);

        assertEquals(Duration.ofHours(1), config.lifetime());
        assertEquals(":", config.separator());
        assertEquals(Duration.ofSeconds(30), config.clockSkew());
        assertEquals(10_000, config.cacheSize());
        assertEquals(Duration.ofSeconds(10), config.secretReloadInterval());
        assertFalse(config.allowWeakSecret());
        assertEquals(List.of(), config.uris());
        assertEquals(List.of(), config.secretFiles());
    }

    @Test
    void refusesASecretShorterThan16BytesWithoutShowingIt() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> config(List.of(STRONG, Secret.of("fifteen-bytes!!")), null));

        assertEquals("secrets[1]", e.key());
        assertTrue(e.getMessage().contains("16 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("allow_weak_secret"), e.getMessage());
        assertFalse(e.getMessage().contains("fifteen-bytes!!"), e.getMessage());
    }

    @Test
    void acceptsAWeakSecretWhenAllowed() {
        RestCredentialsConfig config = config(List.of(Secret.of("short")), true);

        assertTrue(config.allowWeakSecret());
    }

    @Test
    void refusesAnEmptySecretEvenWhenWeakOnesAreAllowed() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> config(List.of(Secret.of("   ")), true));

        assertEquals("secrets[0]", e.key());
    }

    @Test
    void refusesASectionWithoutAnySecret() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> config(null, null));

        assertEquals("secrets", e.key());
        assertTrue(e.problem().contains("secret_files"), e.problem());
    }

    @Test
    void refusesANullSecretEntry() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> config(Arrays.asList(STRONG, null), null));

        assertEquals("secrets[1]", e.key());
    }

    @Test
    void namesABadUriByIndexAndQuotesIt() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> RestCredentialsConfig.builder()
                        .secrets(List.of(STRONG))
                        .uris(List.of("turn:ok.example.org", "http://turn.example.org"))
                        .build());

        assertEquals("uris[1]", e.key());
        assertTrue(e.problem().contains("'http://turn.example.org'"), e.problem());
    }

    @Test
    void keepsUrisInCanonicalForm() {
        RestCredentialsConfig config = RestCredentialsConfig.builder()
                .secrets(List.of(STRONG))
                .uris(List.of("TURN:turn.example.org:3478?transport=UDP", " turns:turn.example.org:443?transport=tcp "))
                .build();

        assertEquals(List.of("turn:turn.example.org:3478?transport=udp", "turns:turn.example.org:443?transport=tcp"),
                config.uris());
    }

    @Test
    void refusesALifetimeOutsideOneSecondToAYear() {
        assertEquals("lifetime", assertThrows(InvalidSettingException.class, () -> RestCredentialsConfig.builder()
                .secrets(List.of(STRONG))
                .lifetime(Duration.ofMillis(500))
                .build()).key());
        assertEquals("lifetime", assertThrows(InvalidSettingException.class, () -> RestCredentialsConfig.builder()
                .secrets(List.of(STRONG))
                .lifetime(Duration.ofDays(400))
                .build()).key());
    }

    @Test
    void refusesASeparatorThatIsNotOneNonDigitCharacter() {
        for (String bad : List.of("", "::", "5", " ")) {
            InvalidSettingException e = assertThrows(InvalidSettingException.class,
                    () -> RestCredentialsConfig.builder().secrets(List.of(STRONG)).separator(bad).build(), bad);
            assertEquals("separator", e.key());
        }
    }

    @Test
    void refusesANegativeClockSkewAndCacheSize() {
        assertEquals("clock_skew", assertThrows(InvalidSettingException.class, () -> RestCredentialsConfig.builder()
                .secrets(List.of(STRONG))
                .clockSkew(Duration.ofSeconds(-1))
                .build()).key());
        assertEquals("cache_size", assertThrows(InvalidSettingException.class, () -> RestCredentialsConfig.builder()
                .secrets(List.of(STRONG))
                .cacheSize(-1)
                .build()).key());
    }

    @Test
    void acceptsZeroClockSkewForCoturnStrictRelays() {
        RestCredentialsConfig config = RestCredentialsConfig.builder()
                .secrets(List.of(STRONG))
                .clockSkew(Duration.ZERO)
                .build();

        assertEquals(Duration.ZERO, config.clockSkew());
    }
}
