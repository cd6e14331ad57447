package dev.tern.fleet.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.config.ConfigException;
import dev.tern.config.ConfigLoader;
import dev.tern.config.TernConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The fleet section's keys are validated with the key path named (#18 point 1). */
class RedisFleetConfigTest {

    private static TernConfig load(String fleet) {
        return ConfigLoader.standard().parse("server_name: example.org\nfleet: " + fleet + "\n", "test",
                Path.of("."));
    }

    private static String problem(String fleet) {
        return assertThrows(ConfigException.class, () -> load(fleet)).getMessage();
    }

    @Test
    void defaultsApply() {
        RedisFleetConfig c = (RedisFleetConfig) load("{type: redis, uri: \"redis://127.0.0.1:6379\"}").fleet()
                .orElseThrow().config();
        assertEquals("tern", c.namespace());
        assertEquals(Duration.ofSeconds(1), c.heartbeat());
        assertEquals(3, c.missedBeats());
        assertEquals(Duration.ofSeconds(3), c.expiry());
        assertFalse(c.tls());
    }

    @Test
    void typeNoneIsBuiltIn() {
        assertEquals("none", load("{type: none}").fleet().orElseThrow().type());
        assertTrue(problem("{type: nope}").contains("fleet.type: unknown type 'nope'"));
        assertTrue(problem("{type: nope}").contains("none, redis"));
    }

    @Test
    void badValuesNameTheirKey() {
        assertTrue(problem("{type: redis}").contains("fleet.uri: is required"));
        assertTrue(problem("{type: redis, uri: \"http://h\"}").contains("fleet.uri: must start with redis://"));
        String withPassword = problem("{type: redis, uri: \"redis://:hunter2-secret@h:6379\"}");
        assertTrue(withPassword.contains("fleet.uri: must not hold a user or password"), withPassword);
        assertTrue(problem("{type: redis, uri: \"redis://h\", missed_beats: 1}")
                .contains("fleet.missed_beats: must be between 2 and 60"));
        assertTrue(problem("{type: redis, uri: \"redis://h\", heartbeat: 10ms}")
                .contains("fleet.heartbeat: must be between 100ms and 1m, like 1s"));
        assertTrue(problem("{type: redis, uri: \"redis://h\", namespace: \"a b\"}").contains("fleet.namespace"));
        assertTrue(problem("{type: redis, uri: \"redis://h\", ca_file: ca.pem}")
                .contains("fleet.ca_file: applies to rediss:// only"));
        assertTrue(problem("{type: redis, uri: \"redis://h\", hearbeat: 1s}").contains("fleet.hearbeat: unknown key"));
    }
}
