package dev.tern.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.testing.FreePorts;
import dev.tern.testing.redis.RedisServer;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #18 point 7: the shipped monitoring files ({@code deploy/prometheus/tern-alerts.yml} with its unit tests
 * {@code tern-alerts.test.yml}, {@code deploy/grafana/tern-dashboard.json}) pass {@code promtool check rules} and
 * {@code promtool test rules}, and every Tern metric they name is one a running {@code tern serve} (with a Redis fleet,
 * so the fleet's gauges are there) really exports on {@code /metrics}.
 */
class MonitoringRulesIT {

    private static final Path DEPLOY = Path.of("..", "..", "deploy");
    private static final Path RULES = DEPLOY.resolve("prometheus/tern-alerts.yml");
    private static final Path RULE_TESTS = DEPLOY.resolve("prometheus/tern-alerts.test.yml");
    private static final Path DASHBOARD = DEPLOY.resolve("grafana/tern-dashboard.json");
    private static final Pattern TERN_METRIC = Pattern.compile("\\b(tern_[a-z0-9_]+)\\b");

    @TempDir
    Path dir;

    @Test
    void promtoolChecksTheRules() throws Exception {
        String out = promtool("check", "rules", RULES.toString());
        assertTrue(out.contains("SUCCESS: 5 rules found"), out);
    }

    @Test
    void promtoolUnitTestsOfTheRulesPass() throws Exception {
        String out = promtool("test", "rules", RULE_TESTS.toString());
        assertTrue(out.contains("SUCCESS"), out);
    }

    @Test
    void everyMetricTheRulesAndTheDashboardNameIsOneTernExports() throws Exception {
        Set<String> used = new TreeSet<>();
        used.addAll(ternMetrics(Files.readString(RULES)));
        used.addAll(ternMetrics(Files.readString(DASHBOARD)));
        assertTrue(used.size() >= 6, "the files name Tern's metrics: " + used);

        Set<String> exported;
        try (RedisServer redis = RedisServer.start(Files.createDirectories(dir.resolve("redis")))) {
            DefaultConfig.Ports ports = new DefaultConfig.Ports(FreePorts.udpAndTcp(), FreePorts.udpAndTcp(),
                    FreePorts.udpAndTcp());
            DefaultConfig defaults = DefaultConfig.prepare(dir.resolve("tern-data"), ports);
            Path config = Files.writeString(dir.resolve("tern.yaml"), defaults.render(true) + """

                    fleet:
                      type: redis
                      uri: "%s"
                      relay_id: monitoring-test
                    """.formatted(redis.uri()));
            try (ServingLauncher tern = ServingLauncher.start(dir, List.of(), List.of("--config", config.toString()),
                    ports.relay(), ports.http(), ports.admin())) {
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(tern.adminBase().resolve("/metrics"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, metrics.statusCode(), metrics.body());
                exported = metrics.body().lines()
                        .filter(line -> !line.startsWith("#") && !line.isBlank())
                        .map(line -> line.split("[{ ]", 2)[0])
                        .collect(Collectors.toCollection(TreeSet::new));
            }
        }
        assertTrue(exported.contains("tern_fleet_relays_live"), "the fleet's gauges are exported: " + exported);
        Set<String> unknown = new TreeSet<>(used);
        unknown.removeAll(exported);
        assertTrue(unknown.isEmpty(), "named in the rules or dashboard but not exported by Tern: " + unknown
                + "\nexported: " + exported);
    }

    private static Set<String> ternMetrics(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = TERN_METRIC.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        assertFalse(names.isEmpty(), "no tern_ metric found in " + text.substring(0, Math.min(200, text.length())));
        return names;
    }

    private static String promtool(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool did not finish: " + out);
            assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + out);
            return out;
        } finally {
            p.destroyForcibly();
        }
    }
}
