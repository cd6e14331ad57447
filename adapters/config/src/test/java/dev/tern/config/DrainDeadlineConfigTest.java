package dev.tern.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DrainDeadlineConfigTest {

    @TempDir
    Path dir;

    private final ConfigLoader loader = ConfigLoader.builder().environment(Map.<String, String>of()::get).build();

    private TernConfig load(String relayLines) throws IOException {
        Path file = dir.resolve("tern.yaml");
        Files.writeString(file, "server_name: example.org\nrelay:\n  type: netty\n  realm: example.org\n" + relayLines);
        return loader.load(file);
    }

    @Test
    void drainDeadlineIsTwoMinutesUnlessSet() throws IOException {
        assertEquals(Duration.ofMinutes(2), load("").drainDeadline());
        assertEquals(Duration.ofSeconds(45), load("  drain_deadline: 45s\n").drainDeadline());
    }

    @Test
    void drainDeadlineIsAHostKeyBesideAnyRelayType() throws IOException {
        TernConfig config = load("  drain_deadline: 5m\n");
        assertTrue(config.effectiveConfig().contains("drain_deadline: 5m"), config.effectiveConfig());
    }

    @Test
    void aBadDrainDeadlineNamesTheKeyAndWhatWasExpected() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("  drain_deadline: soon\n"));
        assertEquals(1, e.problems().size(), e.getMessage());
        String problem = e.problems().get(0).toString();
        assertTrue(problem.contains("relay.drain_deadline: found 'soon', expected a duration like"), problem);
        ConfigException zero = assertThrows(ConfigException.class, () -> load("  drain_deadline: 0s\n"));
        assertTrue(zero.getMessage().contains("from 1s to 1d"), zero.getMessage());
    }
}
