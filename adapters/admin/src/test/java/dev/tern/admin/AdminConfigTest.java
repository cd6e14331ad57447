package dev.tern.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.Secret;
import dev.tern.config.ConfigException;
import dev.tern.config.ConfigLoader;
import dev.tern.config.TernConfig;
import dev.tern.spi.InvalidSettingException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AdminConfigTest {

    private static final Secret TOKEN = Secret.of("an-admin-token-of-32-characters!");

    @Test
    void defaultsToEnabledOnLoopbackPort9090WithoutToken() {
        AdminConfig config = AdminConfig.defaults();
        assertTrue(config.enabled());
        assertEquals("http://127.0.0.1:9090", config.listen());
        assertEquals(new InetSocketAddress("127.0.0.1", 9090), config.listenAddress());
        assertEquals(Duration.ofSeconds(2), config.readyTimeout());
        assertEquals(null, config.token());
    }

    @Test
    void refusesNonLoopbackListenWithoutToken() {
        for (String listen : new String[] {"http://0.0.0.0:9090", "http://192.0.2.1:9090", "http://[::]:9090"}) {
            InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> AdminConfig.of(listen, null));
            assertEquals("token", e.key());
            assertTrue(e.getMessage().contains("loopback"), e.getMessage());
        }
    }

    @Test
    void acceptsNonLoopbackListenWithToken() {
        AdminConfig config = AdminConfig.of("http://0.0.0.0:9090", TOKEN);
        assertTrue(config.listenAddress().getAddress().isAnyLocalAddress());
    }

    @Test
    void acceptsLoopbackForms() {
        assertTrue(AdminConfig.of("http://localhost:0", null).listenAddress().getAddress().isLoopbackAddress());
        assertTrue(AdminConfig.of("http://[::1]:9090/", null).listenAddress().getAddress().isLoopbackAddress());
        assertTrue(AdminConfig.of("http://127.0.0.5:9090", null).listenAddress().getAddress().isLoopbackAddress());
    }

    @Test
    void refusesMalformedListen() {
        for (String listen : new String[] {"127.0.0.1:9090", "http://127.0.0.1", "https://127.0.0.1:9090",
                "http://admin.example.org:9090", "http://127.0.0.1:9090/admin", "tcp://127.0.0.1:9090", "http://:9090"}) {
            InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> AdminConfig.of(listen, null),
                    listen);
            assertEquals("listen", e.key(), listen);
        }
    }

    @Test
    void refusesShortTokenWithoutRepeatingIt() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> AdminConfig.of("http://127.0.0.1:9090", Secret.of("hunter2")));
        assertEquals("token", e.key());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void refusesOutOfRangeReadyTimeout() {
        assertEquals("ready_timeout", assertThrows(InvalidSettingException.class,
                () -> new AdminConfig(null, null, null, Duration.ZERO, null, null)).key());
        assertEquals("ready_timeout", assertThrows(InvalidSettingException.class,
                () -> new AdminConfig(null, null, null, Duration.ofMinutes(5), null, null)).key());
    }

    @Test
    void bindsFromYamlWithTheConfigBinderIncludingEnvironmentSecrets() {
        String yaml = "server_name: tern.test\n"
                + "metrics:\n"
                + "  listen: http://0.0.0.0:9191\n"
                + "  token: ${TERN_ADMIN_TOKEN}\n"
                + "  ready_timeout: 500ms\n";
        TernConfig config = ConfigLoader.builder()
                .environment(name -> name.equals("TERN_ADMIN_TOKEN") ? TOKEN.reveal() : null).build()
                .parse(yaml, "admin test", Path.of("target"));

        AdminConfig admin = config.metrics().orElseThrow().bind(AdminConfig.class);

        assertTrue(admin.enabled());
        assertEquals(new InetSocketAddress("0.0.0.0", 9191), admin.listenAddress());
        assertEquals(TOKEN, admin.token());
        assertEquals(Duration.ofMillis(500), admin.readyTimeout());
    }

    @Test
    void bindingNamesTheTokenKeyWhenANonLoopbackListenHasNone() {
        String yaml = "server_name: tern.test\nmetrics:\n  listen: http://0.0.0.0:9191\n";
        TernConfig config = ConfigLoader.standard().parse(yaml, "admin test", Path.of("target"));

        ConfigException e = assertThrows(ConfigException.class, () -> config.metrics().orElseThrow().bind(AdminConfig.class));
        assertTrue(e.getMessage().contains("metrics.token"), e.getMessage());
    }

    @Test
    void bindingRefusesAnUnknownKeyByName() {
        String yaml = "server_name: tern.test\nmetrics:\n  enabld: true\n";
        TernConfig config = ConfigLoader.standard().parse(yaml, "admin test", Path.of("target"));

        ConfigException e = assertThrows(ConfigException.class, () -> config.metrics().orElseThrow().bind(AdminConfig.class));
        assertTrue(e.getMessage().contains("enabld"), e.getMessage());
    }

    @Test
    void canBeDisabled() {
        assertFalse(new AdminConfig(false, null, null, null, null, null).enabled());
    }
}
