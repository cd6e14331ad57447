package dev.tern.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.config.shapes.MatrixShapes.MatrixConfig;
import dev.tern.config.shapes.MatrixShapes.TokenCheckProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCheckTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return ConfigCheck.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void validatesTheIssueExampleAndPrintsTheEffectiveConfig() throws IOException {
        Files.writeString(dir.resolve("ldap.pw"), ExampleConfig.BIND_PASSWORD);
        Path file = dir.resolve("tern.yaml");
        Files.writeString(file, ExampleConfig.YAML);
        ConfigLoader loader = ConfigLoader.builder().environment(Map.of("TURN_SECRET", ExampleConfig.TURN_SECRET)::get)
                .build();

        ConfigCheck.Result result = ConfigCheck.check(file, loader);

        assertTrue(result.valid(), result.problems().toString());
        String printed = result.effectiveConfig();
        assertFalse(printed.contains(ExampleConfig.TURN_SECRET), printed);
        assertFalse(printed.contains(ExampleConfig.BIND_PASSWORD), printed);
        for (String expected : new String[] {"server_name: example.org", "type: rest", "lifetime: 1h",
                "clock_skew: 30s", "max_allocations: 12", "name: file#0", "on_error: fail_closed", "timeout: 2s",
                "name: ldap#1", "ports: 49152-65535", "cert_file: /etc/tern/fullchain.pem", "enabled: true",
                "data_directory: " + dir.resolve("tern-data")}) {
            assertTrue(printed.contains(expected), expected + " in\n" + printed);
        }
    }

    @Test
    void reportsEveryProblemWithoutAStackTrace() throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "server_name: example.org\ncredentials: { type: rset }\nmetrix: {}\n");
        assertEquals(1, run(file.toString()));
        String printed = err.toString(StandardCharsets.UTF_8);
        assertTrue(printed.indexOf("line 2:") < printed.indexOf("line 3:"), "in file order: " + printed);
        assertTrue(printed.contains("line 2: credentials.type: unknown type 'rset' (did you mean 'rest'?)"), printed);
        assertTrue(printed.contains("line 3: metrix: unknown key (did you mean 'matrix'?)"), printed);
        assertFalse(printed.contains("\tat "), printed);
    }

    @Test
    void includesTheChecksOfModulesThatOwnASection() throws IOException {
        Path file = dir.resolve("tern.yaml");
        Files.writeString(file, """
                server_name: example.org
                matrix:
                  listen: "http://127.0.0.1:8008"
                  access_tokens: { type: whoami, homeserver: "http://h", cache_tll: 1m }
                """);
        ProviderCatalog<TokenCheckProvider<?>> tokens = ProviderCatalog.discover(TokenCheckProvider.class);
        ConfigCheck.Result result = ConfigCheck.check(file, ConfigLoader.standard(), config -> config.matrix()
                .orElseThrow().bind(MatrixConfig.class).accessTokens().bindProvider(tokens));
        assertFalse(result.valid());
        assertEquals("matrix.access_tokens.cache_tll", result.problems().get(0).path());
        assertEquals(4, result.problems().get(0).line());
        assertTrue(result.problems().get(0).message().startsWith("unknown key (did you mean 'cache_ttl'?)"),
                result.problems().get(0).message());
    }

    @Test
    void printsTheEffectiveConfigOnlyWhenAsked() throws IOException {
        Path file = dir.resolve("ok.yaml");
        Files.writeString(file, "server_name: example.org\n");
        assertEquals(0, run(file.toString()));
        assertEquals(file + ": valid\n", out.toString(StandardCharsets.UTF_8));
        out.reset();
        assertEquals(0, run("--print", file.toString()));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("server_name: example.org"));
        assertEquals(2, run());
        assertEquals(2, run("--verbose", file.toString()));
    }
}
