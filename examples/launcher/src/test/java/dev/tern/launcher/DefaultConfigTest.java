package dev.tern.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.config.ConfigLoader;
import dev.tern.config.ProviderCatalog;
import dev.tern.config.TernConfig;
import dev.tern.credentials.rest.RestCredentialsConfig;
import dev.tern.spi.RelayServerProvider;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultConfigTest {

    @TempDir
    Path dir;

    @Test
    void generatesTheSecretAndTokenOwnerOnlyOnFirstStartAndReusesThem() throws Exception {
        DefaultConfig first = DefaultConfig.prepare(dir, DefaultConfig.Ports.DEFAULT);
        Path secret = dir.resolve(DefaultConfig.SECRET_FILE);
        assertTrue(first.secretCreated());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                dir.resolve(DefaultConfig.TOKEN_FILE))));
        assertTrue(Files.readString(secret).strip().length() >= 32, "a strong secret");

        DefaultConfig second = DefaultConfig.prepare(dir, DefaultConfig.Ports.DEFAULT);
        assertFalse(second.secretCreated());
        assertEquals(first.developmentToken(), second.developmentToken());
        assertEquals(Files.readString(secret).strip(), Files.readString(secret).strip());
    }

    @Test
    void tightensASecretFileOthersCouldRead() throws Exception {
        Path secret = Files.writeString(dir.resolve(DefaultConfig.SECRET_FILE), "an-existing-secret-0123456789\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
        DefaultConfig.prepare(dir, DefaultConfig.Ports.DEFAULT);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)));
        assertEquals("an-existing-secret-0123456789", Files.readString(secret).strip());
    }

    @Test
    void tokensDifferBetweenDataDirectories() {
        assertNotEquals(DefaultConfig.prepare(dir.resolve("a"), DefaultConfig.Ports.DEFAULT).developmentToken(),
                DefaultConfig.prepare(dir.resolve("b"), DefaultConfig.Ports.DEFAULT).developmentToken());
    }

    @Test
    void loadsOnLoopbackWithTheGivenPorts() {
        StringWriter out = new StringWriter();
        TernConfig config = DefaultConfig.prepare(dir, new DefaultConfig.Ports(40001, 40002, 40003))
                .load(ConfigLoader.standard(), new PrintWriter(out));
        assertEquals("localhost", config.serverName());
        assertEquals(dir.toAbsolutePath().normalize(), config.dataDirectory());
        assertTrue(config.relay().isPresent());
        assertTrue(config.effectiveConfig().contains("udp://127.0.0.1:40001"), config.effectiveConfig());
        assertEquals("127.0.0.1:40002", Sections.matrix(config).orElseThrow().config().listen());
        assertEquals("http://127.0.0.1:40003", Sections.metrics(config).orElseThrow().listen());
        assertTrue(config.effectiveConfig().contains("tcp://127.0.0.1:40001"), config.effectiveConfig());
        assertEquals(List.of("turn:127.0.0.1:40001?transport=udp", "turn:127.0.0.1:40001?transport=tcp"),
                ((RestCredentialsConfig) config.credentials().orElseThrow().config()).uris());
        assertEquals("", out.toString(), "nothing missing, nothing to say");
    }

    @Test
    void leavesTheRelayOutWithALineWhenNoRelayProviderIsFound() {
        ConfigLoader noRelay = ConfigLoader.builder()
                .relayServers(ProviderCatalog.<RelayServerProvider<?>>of(RelayServerProvider.class, List.of()))
                .build();
        StringWriter out = new StringWriter();
        TernConfig config = DefaultConfig.prepare(dir, DefaultConfig.Ports.DEFAULT).load(noRelay, new PrintWriter(out));
        assertTrue(config.relay().isEmpty());
        assertTrue(config.credentials().isPresent());
        assertTrue(out.toString().contains("relay not yet available"), out.toString());
    }

    @Test
    void refusesPortsOutOfRange() {
        assertThrows(LauncherException.class, () -> new DefaultConfig.Ports(0, 8008, 9090));
        assertThrows(LauncherException.class, () -> new DefaultConfig.Ports(3478, 70000, 9090));
        assertThrows(LauncherException.class, () -> new DefaultConfig.Ports(3478, 8008, -1));
    }
}
