package dev.tern.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.testing.FreePorts;
import dev.tern.testing.ldap.Slapd;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #22 point 1 in the launcher: {@code tern serve} with an {@code ldap} source on a real slapd. While slapd
 * is stopped, {@code /health/ready} answers 200 but says {@code degraded} and names the source, and neither
 * its probes nor further requests make the log say the source answers again: one "cannot answer" line per
 * outage. Once slapd is back, the source's own probe notices and readiness says {@code ready} again, with one
 * "answers again" line. Before the fix every readiness probe logged a false recovery and health said ready.
 */
class LdapOutageHealthIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DIRECTORY = """
            dn: dc=example,dc=org
            objectClass: dcObject
            objectClass: organization
            dc: example
            o: Example

            dn: ou=people,dc=example,dc=org
            objectClass: organizationalUnit
            ou: people

            dn: uid=dev,ou=people,dc=example,dc=org
            objectClass: inetOrgPerson
            uid: dev
            cn: Dev
            sn: Developer

            dn: cn=staff,dc=example,dc=org
            objectClass: groupOfNames
            cn: staff
            member: uid=dev,ou=people,dc=example,dc=org
            """;

    @TempDir
    Path dir;

    private Slapd slapd;
    private ServingLauncher tern;

    @AfterEach
    void stop() {
        if (tern != null) {
            tern.close();
        }
        if (slapd != null) {
            slapd.close();
        }
    }

    @Test
    void readinessNamesTheFailingDirectoryAndItsProbesAreNoRecovery() throws Exception {
        slapd = Slapd.start(dir, DIRECTORY);
        DefaultConfig.Ports ports = new DefaultConfig.Ports(FreePorts.udpAndTcp(), FreePorts.udpAndTcp(),
                FreePorts.udpAndTcp());
        DefaultConfig defaults = DefaultConfig.prepare(dir.resolve("tern-data"), ports);
        String ldap = """
                  sources:
                    - type: ldap
                      name: directory
                      url: "%s"
                      base_dn: "ou=people,dc=example,dc=org"
                      rules:
                        - { name: staff-limits, group: staff, set: { max_allocations: 3 } }
                """.formatted(slapd.url());
        String text = defaults.render(true);
        assertTrue(text.contains("    guests_allowed: true\n"), text);
        Path config = Files.writeString(dir.resolve("tern.yaml"),
                text.replace("    guests_allowed: true\n", "    guests_allowed: true\n" + ldap));
        tern = ServingLauncher.start(dir, List.of(), List.of("--config", config.toString()), ports.relay(),
                ports.http(), ports.admin());
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String token = defaults.developmentToken();

        assertEquals("ready", ready(http).get("status").asText(), tern.output());

        slapd.stop(); // the first request for @dev:localhost finds the directory gone (nothing cached yet)
        assertEquals(200, turnServer(http, token).statusCode(), "on_error: fail_closed answers: " + tern.output());
        for (int i = 0; i < 3; i++) {
            JsonNode health = ready(http);
            assertEquals("degraded", health.get("status").asText(), health + "\n" + tern.output());
            String policy = health.get("checks").get("policy").asText();
            assertTrue(policy.startsWith("degraded: source 'directory' cannot answer (LDAP "), policy);
            assertTrue(!policy.contains("127.0.0.1"), "no address in the unauthenticated health body: " + policy);
            turnServer(http, token);
        }
        assertEquals(1, lines("Policy source 'directory' cannot answer"), tern.output());
        assertEquals(0, lines("Policy source 'directory' answers again"), tern.output());

        slapd.restart();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!ready(http).get("status").asText().equals("ready")) {
            if (System.nanoTime() > deadline) {
                fail("readiness did not come back within 30 s of the directory: " + ready(http) + "\n" + tern.output());
            }
            Thread.sleep(250);
        }
        assertEquals(1, lines("Policy source 'directory' cannot answer"), tern.output());
        assertEquals(1, lines("Policy source 'directory' answers again"), tern.output());
        String metrics = http.send(HttpRequest.newBuilder(tern.adminBase().resolve("/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        for (String state : List.of("failing", "answering")) {
            assertTrue(metrics.lines().anyMatch(line -> line.startsWith("tern_policy_source_state_changes")
                    && line.contains("source=\"directory\"") && line.contains("state=\"" + state + "\"")
                    && line.matches(".* 1(\\.0)?$")), "one " + state + " change counted: " + metrics);
        }
    }

    private long lines(String text) {
        return tern.output().lines().filter(line -> line.contains(text)).count();
    }

    private JsonNode ready(HttpClient http) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(tern.adminBase().resolve("/health/ready"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> turnServer(HttpClient http, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tern.httpPort()
                + "/_matrix/client/v3/voip/turnServer"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
