package dev.tern.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.admin.CallTestPage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The call test the banner offers, for real: {@code tern serve} from the jar with the embedded default, and its
 * admin page's call test in headless Debian Chromium (the admin module's {@code admin-call-test.js}, driven by
 * playwright-core), fetching credentials from the launcher's own Matrix endpoint with the development token.
 * The relay-only call gathers relay candidates on the launcher's relay and carries the data channel's messages
 * through it. Saves {@code target/launcher-call-test.png}.
 *
 * <p>The embedded default's admin page listens on loopback without an admin token, so the page is used
 * without typing one.
 */
class ServeCallTestBrowserIT {

    /** The admin module's script and its pinned playwright-core, shared rather than copied. */
    private static final Path NODE_DIR = Path.of("..", "..", "adapters", "admin").resolve(CallTestPage.SCRIPT_DIRECTORY);
    private static final Path SCREENSHOT = Path.of("target", "launcher-call-test.png").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void adminPageCallTestRelaysThroughTheServedRelay() throws Exception {
        var callTest = CallTestPage.script(NODE_DIR);
        Files.deleteIfExists(SCREENSHOT);
        try (ServingLauncher tern = ServingLauncher.start(dir)) {
            CallTestPage page = CallTestPage.run(callTest, tern.adminBase() + "/", "http://127.0.0.1:" + tern.httpPort(),
                    tern.developmentToken(), "", SCREENSHOT);
            String out = page.output() + "\n--- tern ---\n" + tern.output();
            assertEquals("", page.shown().get("apiError").asText(), "the page works without an admin token:\n" + out);
            int relayCandidates = page.assertRelayedOnly("127.0.0.1", "\n--- tern ---\n" + tern.output());

            // The call stays up after the test: the page lists its allocations, the development user's, made over
            // both of the default's transports (Chromium allocates on every TURN URI it is given). Every candidate
            // the page showed is one of them; Chromium may allocate on a URI and not signal that candidate once
            // ICE has connected, so there can be more allocations than candidates.
            assertTrue(page.allocations().size() >= relayCandidates, out);
            Set<String> clientTransports = new TreeSet<>();
            Set<String> relayed = new TreeSet<>();
            for (JsonNode allocation : page.allocations()) {
                assertEquals(DefaultConfig.DEV_USER, allocation.get(0).asText(), out);
                clientTransports.add(allocation.get(1).asText().replaceAll(".*\\((\\w+)\\)$", "$1"));
                assertTrue(allocation.get(2).asText().startsWith("127.0.0.1:"), out);
                relayed.add(allocation.get(2).asText());
            }
            for (JsonNode candidate : page.shown().get("candidates")) {
                String address = candidate.get(3).asText() + ":" + candidate.get(4).asText();
                assertTrue(relayed.contains(address), "candidate " + address + " is a Tern allocation:\n" + out);
            }
            assertEquals(Set.of("tcp", "udp"), clientTransports, out);
            assertTrue(Files.size(SCREENSHOT) > 1000, "screenshot missing or empty: " + SCREENSHOT);
        }
    }
}
