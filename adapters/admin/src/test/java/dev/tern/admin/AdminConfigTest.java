package dev.tern.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.api.Secret;
import dev.tern.spi.InvalidSettingException;
import java.net.InetSocketAddress;
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
                () -> new AdminConfig(null, null, null, Duration.ZERO)).key());
        assertEquals("ready_timeout", assertThrows(InvalidSettingException.class,
                () -> new AdminConfig(null, null, null, Duration.ofMinutes(5))).key());
    }

    @Test
    void canBeDisabled() {
        assertFalse(new AdminConfig(false, null, null, null).enabled());
    }
}
