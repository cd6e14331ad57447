package dev.tern.credentials.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tern.spi.Secret;
import dev.tern.spi.Subject;
import dev.tern.spi.MetricsRecorder;
import dev.tern.host.SimpleProviderContext;
import dev.tern.testing.MutableClock;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IssuerMetricsTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final Map<String, Long> counts = new ConcurrentHashMap<>();
    private final MetricsRecorder recorder = new MetricsRecorder() {
        @Override
        public void count(String name, Map<String, String> tags, long amount) {
            counts.merge(name + new java.util.TreeMap<>(tags), amount, Long::sum);
        }

        @Override
        public void time(String name, Map<String, String> tags, Duration duration) {
        }
    };

    @AfterEach
    void stopScheduler() {
        scheduler.shutdownNow();
    }

    @Test
    void countsFreshAndReusedCredentialsAndVerificationOutcomes() {
        RestCredentialIssuer issuer = RestCredentialIssuer.create(
                RestCredentialsConfig.of(List.of(Secret.of("n0t-a-real-secret-but-long-enough")), List.of()),
                new SimpleProviderContext("example.org", new MutableClock(Instant.ofEpochMilli(1_700_000_000_000L)),
                        scheduler, HttpClient.newHttpClient(), recorder,
                                SimpleProviderContext.Directories.of(Path.of("."))));

        String username = issuer.issue(Subject.user("@alice:example.org"), Duration.ofHours(2)).username();
        issuer.issue(Subject.user("@alice:example.org"), Duration.ofHours(2));
        issuer.verifier().orElseThrow().verify(username, "example.org");
        issuer.verifier().orElseThrow().verify("1:@alice:example.org", "example.org");
        issuer.verifier().orElseThrow().verify("nonsense", "example.org");

        assertEquals(Map.of(
                "tern_credentials_issued{reuse=fresh, type=rest}", 1L,
                "tern_credentials_issued{reuse=reused, type=rest}", 1L,
                "tern_credentials_verified{result=accepted, type=rest}", 1L,
                "tern_credentials_verified{result=expired, type=rest}", 1L,
                "tern_credentials_verified{result=malformed, type=rest}", 1L), counts);
    }
}
