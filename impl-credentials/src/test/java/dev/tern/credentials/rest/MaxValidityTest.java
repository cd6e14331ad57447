package dev.tern.credentials.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tern.spi.Secret;
import dev.tern.spi.Subject;
import dev.tern.spi.InvalidSettingException;
import dev.tern.spi.MetricsRecorder;
import dev.tern.host.SimpleProviderContext;
import dev.tern.spi.Verification;
import dev.tern.testing.MutableClock;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Usernames expiring further ahead than {@code max_validity} (plus the skew allowance) are refused and counted. */
class MaxValidityTest {

    private static final String SECRET = "n0t-a-real-secret-but-long-enough";
    private static final long NOW = 1_700_000_000L;

    private final MutableClock clock = new MutableClock(Instant.ofEpochSecond(NOW));
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final Map<String, Long> counts = new ConcurrentHashMap<>();
    private final MetricsRecorder recorder = new MetricsRecorder() {
        @Override
        public void count(String name, Map<String, String> tags, long amount) {
            counts.merge(name + new TreeMap<>(tags), amount, Long::sum);
        }

        @Override
        public void time(String name, Map<String, String> tags, Duration duration) {
        }
    };

    @AfterEach
    void stopScheduler() {
        scheduler.shutdownNow();
    }

    private RestCredentialIssuer issuer(Duration lifetime, Duration maxValidity) {
        return RestCredentialIssuer.create(RestCredentialsConfig.builder()
                .secrets(List.of(Secret.of(SECRET)))
                .lifetime(lifetime)
                .maxValidity(maxValidity)
                .build(), new SimpleProviderContext("example.org", clock, scheduler,
                        HttpClient.newHttpClient(), recorder, SimpleProviderContext.Directories.of(Path.of("."))));
    }

    private static Verification verify(RestCredentialIssuer issuer, long expiry) {
        return issuer.verifier().orElseThrow().verify(expiry + ":@alice:example.org", "example.org");
    }

    @Test
    void refusesAUsernameExpiringInTheYear9999AndCountsIt() {
        Verification v = verify(issuer(null, null), 253_402_300_799L);
        assertEquals("expires further ahead than max_validity allows",
                assertInstanceOf(Verification.Malformed.class, v).reason());
        assertEquals(1L, counts.get("tern_credentials_verified{result=beyond_max_validity, type=rest}"));
        assertEquals(null, counts.get("tern_credentials_verified{result=malformed, type=rest}"));
    }

    @Test
    void acceptsCoturnEraDayLongCredentialsByDefault() {
        assertInstanceOf(Verification.Accepted.class, verify(issuer(null, null), NOW + 86_400));
        assertEquals(1L, counts.get("tern_credentials_verified{result=accepted, type=rest}"));
    }

    @Test
    void allowsSevenDaysAndTheClockSkewAheadByDefaultAndNotOneSecondMore() {
        RestCredentialIssuer issuer = issuer(null, null);
        long limit = NOW + Duration.ofDays(7).toSeconds() + 30;
        assertInstanceOf(Verification.Accepted.class, verify(issuer, limit));
        assertInstanceOf(Verification.Malformed.class, verify(issuer, limit + 1));
    }

    @Test
    void followsALifetimeLongerThanSevenDaysSoTheIssuersOwnCredentialsVerify() {
        RestCredentialIssuer issuer = issuer(Duration.ofDays(30), null);
        assertEquals(Duration.ofDays(30), RestCredentialsConfig.builder()
                .secrets(List.of(Secret.of(SECRET)))
                .lifetime(Duration.ofDays(30))
                .build().maxValidity());
        String username = issuer.issue(Subject.user("@alice:example.org"), Duration.ofDays(30)).username();
        assertInstanceOf(Verification.Accepted.class, issuer.verifier().orElseThrow().verify(username, "example.org"));
    }

    @Test
    void honoursAConfiguredMaxValidity() {
        RestCredentialIssuer issuer = issuer(Duration.ofHours(1), Duration.ofHours(2));
        assertInstanceOf(Verification.Accepted.class, verify(issuer, NOW + 7200));
        assertInstanceOf(Verification.Malformed.class, verify(issuer, NOW + 7200 + 31));
    }

    @Test
    void refusesAMaxValidityShorterThanTheLifetimeNamingTheKey() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> RestCredentialsConfig.builder()
                .secrets(List.of(Secret.of(SECRET)))
                .lifetime(Duration.ofDays(2))
                .maxValidity(Duration.ofDays(1))
                .build());
        assertEquals("max_validity", e.key());
        assertThrows(InvalidSettingException.class, () -> RestCredentialsConfig.builder()
                .secrets(List.of(Secret.of(SECRET)))
                .maxValidity(Duration.ofDays(4000))
                .build());
    }
}
