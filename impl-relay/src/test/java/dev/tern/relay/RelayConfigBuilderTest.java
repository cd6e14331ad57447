package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.Secret;
import dev.tern.stun.ChannelNumbers;
import dev.tern.relay.plane.DataPlaneMode;
import dev.tern.spi.InvalidSettingException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RelayConfigBuilderTest {

    /** A config with every setting away from its default. */
    private static RelayConfig everySettingSet() {
        return RelayConfig.builder("example.org")
                .listen("udp://127.0.0.1:3478", "tls://127.0.0.1:5349")
                .relayAddress("127.0.0.1")
                .externalAddress("192.0.2.1")
                .relayAddressIpv6("::1")
                .externalAddressIpv6("2001:db8::1")
                .ports("50000-50100")
                .allowedPeers("10.0.0.0/8")
                .deniedPeers("192.0.2.0/24")
                .secureStun(true)
                .staleNonce(Duration.ofMinutes(3))
                .nonceKey(Secret.of("0123456789abcdef0123"))
                .defaultAllocationLifetime(Duration.ofSeconds(300))
                .maxAllocationLifetime(Duration.ofSeconds(900))
                .strictExpiry(true)
                .totalQuota(50)
                .userQuota(3)
                .maxPermissions(7)
                .maxAllocationsPerSource(9)
                .software("tern-test")
                .threads(1)
                .tls(RelayConfig.Tls.of(Path.of("cert.pem"), Path.of("key.pem")))
                .tcp(new RelayConfig.Tcp(20, 2, null, null, null))
                .dataPlane(DataPlaneMode.USER)
                .channelNumbers(ChannelNumbers.COTURN)
                .failedAuthLimit(new RelayConfig.FailedAuthLimit(5, null, null, null))
                .proxyProtocol(new RelayConfig.ProxyProtocol(List.of("10.0.0.5")))
                .build();
    }

    @Test
    void setsEachSettingByItsName() {
        RelayConfig c = everySettingSet();
        assertEquals(List.of("udp://127.0.0.1:3478", "tls://127.0.0.1:5349"), c.listen());
        assertEquals("192.0.2.1", c.externalAddress());
        assertEquals("2001:db8::1", c.externalAddressIpv6());
        assertEquals(new RelayConfig.PortRange(50000, 50100), c.portRange());
        assertEquals(List.of("192.0.2.0/24"), c.deniedPeers());
        assertTrue(c.secureStun());
        assertTrue(c.strictExpiry());
        assertEquals(3, c.userQuota());
        assertEquals(7, c.maxPermissions());
        assertEquals(DataPlaneMode.USER, c.dataPlaneMode());
        assertEquals(ChannelNumbers.COTURN, c.channelNumbers());
        assertEquals(5, c.failedAuthLimit().perUsername());
        assertEquals(List.of("10.0.0.5"), c.proxyProtocol().trusted());
    }

    @Test
    void leavesWhatIsNotSetAtItsDefault() {
        RelayConfig c = RelayConfig.builder("example.org").listen("udp://127.0.0.1:3478").userQuota(null).build();
        assertEquals(100, c.maxPermissions());
        assertEquals(256, c.maxAllocationsPerSource());
        assertEquals(Duration.ofSeconds(600), c.defaultAllocationLifetime());
        assertEquals(ChannelNumbers.RFC, c.channelNumbers());
        assertEquals(DataPlaneMode.AUTO, c.dataPlaneMode());
        assertEquals(null, c.userQuota());
        assertEquals(RelayConfig.Tcp.defaults(), c.tcp());
    }

    @Test
    void toBuilderCopiesEverySetting() {
        RelayConfig c = everySettingSet();
        assertEquals(c, c.toBuilder().build());
        RelayConfig changed = c.toBuilder().userQuota(4).build();
        assertNotEquals(c, changed);
        assertEquals(c, changed.toBuilder().userQuota(3).build());
    }

    @Test
    void validatesOnBuildNamingTheKey() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> RelayConfig.builder("example.org").listen("udp://127.0.0.1:3478").maxPermissions(0).build());
        assertEquals("max_permissions", e.key());
    }
}
