package dev.tern.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code check-config} on a relay listener shared with HTTP: what it says the port serves, and what it refuses. */
class SharedPortConfigTest {

    private static final String RELAY = """
            server_name: example.org
            credentials: { type: rest, secrets: ["a-long-enough-test-secret-0123456789"] }
            relay:
              type: netty
              realm: example.org
              listen: ["udp://0.0.0.0:3478", "%s"]
              relay_address: 10.0.0.5
              tls: { cert_file: /etc/tern/fullchain.pem, key_file: /etc/tern/privkey.pem }
              proxy_protocol: { trusted: [%s] }
            """;
    private static final String MATRIX = """
            matrix:
              access_tokens: { type: static, tokens: { "tok": "@alice:example.org" } }
              well_known: { m.homeserver: { base_url: "https://matrix.example.org" } }
            metrics:
              listen: "http://127.0.0.1:9090"
              token: "an-admin-token-0123456789abcdef"
              shared_port: true
            """;

    @TempDir
    Path dir;

    private Cli check(String yaml) throws Exception {
        return Cli.run("check-config", Files.writeString(dir.resolve("tern.yaml"), yaml).toString());
    }

    @Test
    void saysWhatATlsHttpsPortServes() throws Exception {
        Cli run = check(RELAY.formatted("tls+https://0.0.0.0:443", "\"10.0.0.2\"") + MATRIX);
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("# relay.listen[1] tls+https://0.0.0.0:443 is one port for TURN over TLS (ALPN "
                + "stun.turn, or a STUN first message) and HTTPS"), run.toString());
        assertTrue(run.out().contains("the Matrix endpoints (/_matrix/client/*/voip/turnServer, "
                + "/.well-known/matrix/client) and the admin routes (/metrics, /health, /admin) over HTTP/1.1 and "
                + "HTTP/2"), run.toString());
    }

    @Test
    void refusesASharedPortWithoutAMatrixSection() throws Exception {
        Cli run = check(RELAY.formatted("tcp+http://127.0.0.1:8443", "\"10.0.0.2\""));
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("relay.listen[1]") && run.err().contains("no matrix section"), run.toString());
    }

    @Test
    void namesABadTrustedProxyEntry() throws Exception {
        Cli run = check(RELAY.formatted("tls+https://0.0.0.0:443", "\"10.0.0.0/99\"") + MATRIX);
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("relay.proxy_protocol.trusted[0]"), run.toString());
    }

    @Test
    void refusesTheAdminRoutesOnTheSharedPortWithoutAToken() throws Exception {
        Cli run = check(RELAY.formatted("tls+https://0.0.0.0:443", "\"10.0.0.2\"")
                + MATRIX.replace("  token: \"an-admin-token-0123456789abcdef\"\n", ""));
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("metrics.token") && run.err().contains("shared_port"), run.toString());
    }
}
