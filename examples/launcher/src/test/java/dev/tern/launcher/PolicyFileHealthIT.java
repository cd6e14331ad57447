package dev.tern.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tern.testing.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tern serve}, run as the README runs it, with a rules file that is deleted while it serves (issue #22
 * point 9): the last rules stay in force, the log warns, {@code /metrics} counts it and {@code /health/ready}
 * says degraded naming the file, until the file is back.
 */
class PolicyFileHealthIT {

    private static final String RULES = """
            rules:
              - name: everyone
                set: { force_relay: true }
            """;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aDeletedRulesFileDegradesHealthNamingTheFileUntilItIsBack() throws Exception {
        int adminPort = FreePorts.udpAndTcp();
        Path rules = Files.writeString(dir.resolve("rules.yaml"), RULES);
        Path config = Files.writeString(dir.resolve("tern.yaml"), """
                server_name: example.org
                policy:
                  sources:
                    - { type: file, name: rules, path: rules.yaml, reload: 100ms }
                metrics:
                  listen: "http://127.0.0.1:%d"
                """.formatted(adminPort));
        try (ServingLauncher tern = ServingLauncher.start(dir, List.of(), List.of("--config", config.toString()), 0, 0,
                adminPort)) {
            URI health = tern.adminBase().resolve("/health/ready");
            assertTrue(get(health).body().contains("\"status\":\"ready\""), get(health).body());

            Files.delete(rules);
            HttpResponse<String> degraded = await(health, r -> r.body().contains("degraded"));
            assertEquals(200, degraded.statusCode(), "the last rules still answer: " + degraded.body());
            assertTrue(degraded.body().contains("rules: " + rules + " is missing"), degraded.body());
            assertTrue(tern.output().contains("Policy file " + rules + " is missing"), tern.output());
            String metrics = get(tern.adminBase().resolve("/metrics")).body();
            assertTrue(metrics.lines().anyMatch(line -> line.startsWith("tern_policy_file_events")
                    && line.contains("event=\"missing\"") && line.contains("file=\"rules.yaml\"")), metrics);

            Files.writeString(rules, RULES);
            await(health, r -> r.body().contains("\"status\":\"ready\""));
        }
    }

    private HttpResponse<String> await(URI uri, Predicate<HttpResponse<String>> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            last = get(uri);
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        return fail("not within 20 s; last answer: " + (last == null ? "none" : last.body()));
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
