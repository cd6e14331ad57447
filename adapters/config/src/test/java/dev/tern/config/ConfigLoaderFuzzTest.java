package dev.tern.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing of the config reader (issue #16 point 14): {@link ConfigLoader#parse} on any
 * text, YAML and JSON, with the test providers' shapes. Corpus in
 * {@code src/test/resources/dev/tern/config/ConfigLoaderFuzzTestInputs/}: the launcher's example and
 * default configs and the example.
 *
 * <p>What must hold: the config is bound, or the only thing thrown is {@link ConfigException} with at
 * least one problem, each with a key path and a message; no error text repeats a secret (an
 * environment expansion or a secret file's content) unless the text itself spelled it out.
 */
class ConfigLoaderFuzzTest {

    private static final String ENV_SECRET = "fuzz-env-secret-5f3b9c2d7e";
    private static final String FILE_SECRET = "fuzz-file-secret-a81c44e0b6";
    private static Path dir;
    private static ConfigLoader loader;

    @BeforeAll
    static void files() throws Exception {
        dir = Files.createTempDirectory("tern-config-fuzz");
        Files.writeString(dir.resolve("ldap.pw"), FILE_SECRET + "\n");
        Files.writeString(dir.resolve("policy.yaml"), "rules: []\n");
        loader = ConfigLoader.builder().environment(Map.of("TURN_SECRET", ENV_SECRET, "HOME", "/nonexistent")::get)
                .build();
    }

    @AfterAll
    static void removeFiles() throws Exception {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    @FuzzTest(maxDuration = "5m")
    void onlyConfigExceptionEscapesAndNoSecretIsRepeated(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        check(text, () -> loader.parse(text, "fuzz.yaml", dir));
    }

    private static void check(String text, Runnable load) {
        try {
            load.run();
        } catch (ConfigException e) {
            assertFalse(e.problems().isEmpty());
            for (ConfigProblem p : e.problems()) {
                assertNotNull(p.path());
                assertTrue(!p.message().isBlank(), "a problem without a message");
            }
            String message = e.getMessage();
            if (!text.contains(ENV_SECRET)) {
                assertFalse(message.contains(ENV_SECRET), () -> "the error repeats an ${ENV} secret: " + message);
            }
            if (!text.contains(FILE_SECRET)) {
                assertFalse(message.contains(FILE_SECRET), () -> "the error repeats a secret file: " + message);
            }
        }
    }
}
