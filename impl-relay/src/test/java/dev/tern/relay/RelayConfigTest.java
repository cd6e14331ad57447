package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.Secret;
import dev.tern.relay.plane.DataPlaneMode;
import dev.tern.spi.InvalidSettingException;
import dev.tern.spi.RelayServerProvider;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class RelayConfigTest {

    private static RelayConfig withListen(List<String> listen, String relayAddress) {
        return RelayConfig.builder("example.org").listen(listen).relayAddress(relayAddress).build();
    }

    @Test
    void appliesTheDocumentedDefaults() throws Exception {
        RelayConfig c = withListen(null, "192.0.2.10");
        assertEquals(List.of("udp://0.0.0.0:3478"), c.listen());
        assertEquals(new RelayConfig.PortRange(49152, 65535), c.portRange());
        assertEquals(Duration.ofMinutes(10), c.staleNonce());
        assertEquals(Duration.ofSeconds(600), c.defaultAllocationLifetime());
        assertEquals(Duration.ofSeconds(3600), c.maxAllocationLifetime());
        assertEquals(100, c.maxPermissions());
        assertFalse(c.secureStun());
        assertFalse(c.strictExpiry());
        assertTrue(c.softwareName().isEmpty(), "no SOFTWARE attribute unless configured");
        assertEquals(InetAddress.getByName("192.0.2.10"), c.advertisedRelayAddress());
        assertEquals(DataPlaneMode.AUTO, c.dataPlaneMode());
    }

    @Test
    void takesTheDataPlaneAndNamesAWrongOne() {
        RelayConfig c = withListen(List.of("udp://127.0.0.1:3478"), null);
        assertEquals(DataPlaneMode.KERNEL, c.toBuilder().dataPlane(DataPlaneMode.KERNEL).build().dataPlaneMode());
        assertEquals("user", c.toBuilder().dataPlane(DataPlaneMode.USER).build().dataPlane());
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> RelayConfig.builder("example.org")
                .listen("udp://127.0.0.1:3478")
                .dataPlane(DataPlaneMode.parse("xdp"))
                .build());
        assertEquals("data_plane", e.key());
        assertEquals("data_plane: 'xdp' is not one of auto, kernel, user", e.getMessage());
    }

    @Test
    void acceptsTcpTlsAndSniffingListenersAndNamesABadEntry() {
        RelayConfig c = RelayConfig.builder("r")
                .listen("udp://127.0.0.1:3478", "tcp://127.0.0.1:3478", "tls://[::1]:5349", "tls+tcp://127.0.0.1:443")
                .tls(RelayConfig.Tls.of(Path.of("cert.pem"), Path.of("key.pem")))
                .build();
        assertEquals(List.of(ListenEndpoint.Scheme.UDP, ListenEndpoint.Scheme.TCP, ListenEndpoint.Scheme.TLS,
                ListenEndpoint.Scheme.TLS_OR_TCP), c.listenEndpoints().stream().map(ListenEndpoint::scheme).toList());
        assertEquals("tls://[0:0:0:0:0:0:0:1]:5349", c.listenEndpoints().get(2).toString());
        assertEquals("listen[0]", assertThrows(InvalidSettingException.class,
                () -> withListen(List.of("sctp://127.0.0.1:3478"), null)).key());
        assertEquals("listen[0]", assertThrows(InvalidSettingException.class,
                () -> withListen(List.of("127.0.0.1:3478"), null)).key());
        assertEquals("listen[0]", assertThrows(InvalidSettingException.class,
                () -> withListen(List.of("udp://relay.example.org:3478"), null)).key());
    }

    @Test
    void requiresATlsSectionForTlsListeners() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> withListen(List.of("udp://127.0.0.1:3478", "tls://127.0.0.1:5349"), null));
        assertEquals("tls", e.key());
        assertTrue(e.problem().contains("listen[1]"), e.problem());
        assertEquals("tls", assertThrows(InvalidSettingException.class,
                () -> withListen(List.of("tls+tcp://127.0.0.1:443"), null)).key());
        assertEquals("cert_file", assertThrows(InvalidSettingException.class,
                () -> RelayConfig.Tls.of(null, Path.of("key.pem"))).key());
    }

    @Test
    void appliesStreamLimitDefaultsAndRefusesBadOnes() {
        RelayConfig.Tcp d = withListen(List.of("tcp://127.0.0.1:3478"), null).tcp();
        assertEquals(10_000, d.maxConnections());
        assertEquals(100, d.maxConnectionsPerSource());
        assertEquals(Duration.ofMinutes(10), d.idleTimeout());
        assertEquals(Duration.ofSeconds(10), d.firstMessageTimeout());
        assertEquals(8192, d.maxMessageSize());
        RelayConfig.Tls t = RelayConfig.Tls.of(Path.of("c"), Path.of("k"));
        assertEquals(Duration.ofMinutes(1), t.reloadInterval());
        assertEquals(Duration.ofSeconds(10), t.handshakeTimeout());
        assertEquals(List.of(), t.ciphers());
        assertEquals("max_connections_per_source", assertThrows(InvalidSettingException.class,
                () -> new RelayConfig.Tcp(null, 0, null, null, null)).key());
        assertEquals("idle_timeout", assertThrows(InvalidSettingException.class,
                () -> new RelayConfig.Tcp(null, null, Duration.ZERO, null, null)).key());
        assertEquals("max_message_size", assertThrows(InvalidSettingException.class,
                () -> new RelayConfig.Tcp(null, null, null, null, 100_000)).key());
        assertEquals("handshake_timeout", assertThrows(InvalidSettingException.class,
                () -> new RelayConfig.Tls(Path.of("c"), Path.of("k"), null, null, Duration.ofSeconds(-1))).key());
    }

    @Test
    void appliesFailedAuthLimitDefaultsAndRefusesBadOnesNamingTheKey() {
        RelayConfig.FailedAuthLimit d = withListen(List.of("udp://127.0.0.1:3478"), null).failedAuthLimit();
        assertEquals(10, d.perUsername());
        assertEquals(20, d.perAddress());
        assertEquals(Duration.ofSeconds(10), d.refillInterval());
        assertEquals(100_000, d.maxTracked());
        assertEquals("per_username", assertThrows(InvalidSettingException.class,
                () -> new RelayConfig.FailedAuthLimit(0, null, null, null)).key());
        assertEquals("per_address", assertThrows(InvalidSettingException.class,
                () -> new RelayConfig.FailedAuthLimit(null, -1, null, null)).key());
        assertEquals("refill_interval", assertThrows(InvalidSettingException.class,
                () -> new RelayConfig.FailedAuthLimit(null, null, Duration.ofHours(2), null)).key());
        assertEquals("refill_interval", assertThrows(InvalidSettingException.class,
                () -> new RelayConfig.FailedAuthLimit(null, null, Duration.ofNanos(10), null)).key());
        assertEquals("max_tracked", assertThrows(InvalidSettingException.class,
                () -> new RelayConfig.FailedAuthLimit(null, null, null, 0)).key());
    }

    @Test
    void acceptsIpv6ListenEntries() {
        RelayConfig c = withListen(List.of("udp://[::1]:3478"), null);
        assertEquals(3478, c.listenAddresses().get(0).getPort());
        assertTrue(c.listenAddresses().get(0).getAddress().isLoopbackAddress());
    }

    @Test
    void requiresARealmAndARelayAddressBehindAWildcard() {
        assertEquals("realm", assertThrows(InvalidSettingException.class,
                () -> RelayConfig.builder(null).build()).key());
        assertEquals("relay_address", assertThrows(InvalidSettingException.class,
                () -> withListen(List.of("udp://0.0.0.0:3478"), null)).key());
    }

    @Test
    void refusesBadValuesNamingTheKey() {
        assertEquals("ports", assertThrows(InvalidSettingException.class, () -> RelayConfig.builder("r")
                .listen("udp://127.0.0.1:3478")
                .ports("60000-50000")
                .build()).key());
        assertEquals("nonce_key", assertThrows(InvalidSettingException.class, () -> RelayConfig.builder("r")
                .listen("udp://127.0.0.1:3478")
                .nonceKey(Secret.of("short"))
                .build()).key());
        InvalidSettingException lifetimes = assertThrows(InvalidSettingException.class, () -> RelayConfig.builder("r")
                .listen("udp://127.0.0.1:3478")
                .defaultAllocationLifetime(Duration.ofHours(2))
                .build());
        assertEquals("default_allocation_lifetime", lifetimes.key());
        assertEquals("max_permissions", assertThrows(InvalidSettingException.class, () -> RelayConfig.builder("r")
                .listen("udp://127.0.0.1:3478")
                .maxPermissions(0)
                .build()).key());
        assertEquals("external_address", assertThrows(InvalidSettingException.class, () -> RelayConfig.builder("r")
                .listen("udp://127.0.0.1:3478")
                .externalAddress("turn.example.org")
                .build()).key());
    }

    private static RelayConfig relayAddresses(String listen, String relay, String external, String relay6,
            String external6) {
        return RelayConfig.builder("r")
                .listen(listen)
                .relayAddress(relay)
                .externalAddress(external)
                .relayAddressIpv6(relay6)
                .externalAddressIpv6(external6)
                .build();
    }

    @Test
    void keepsOneRelayAddressPerFamilyIpv4First() throws Exception {
        RelayConfig dual = relayAddresses("udp://0.0.0.0:3478", "10.0.0.5", "203.0.113.10", "fd00::5",
                "2001:db8::5");
        assertEquals(List.of(
                new RelayConfig.RelayAddress(InetAddress.getByName("10.0.0.5"), InetAddress.getByName("203.0.113.10")),
                new RelayConfig.RelayAddress(InetAddress.getByName("fd00::5"), InetAddress.getByName("2001:db8::5"))),
                dual.relayAddresses());
        RelayConfig unNatted = relayAddresses("udp://127.0.0.1:3478", null, null, "::1", null);
        assertEquals(InetAddress.getByName("::1"), unNatted.relayAddresses().get(1).advertised());
        assertEquals(InetAddress.getByName("127.0.0.1"), unNatted.relayAddresses().get(0).bind(),
                "relay_address defaults to the first listen host");
        RelayConfig ipv6Only = relayAddresses("udp://[::1]:3478", null, null, null, null);
        assertEquals(List.of(new RelayConfig.RelayAddress(InetAddress.getByName("::1"), InetAddress.getByName("::1"))),
                ipv6Only.relayAddresses(), "an IPv6 relay_address (or listen host) still works alone");
    }

    @Test
    void refusesRelayAddressesOfTheWrongFamilyNamingTheKey() {
        InvalidSettingException notIpv6 = assertThrows(InvalidSettingException.class,
                () -> relayAddresses("udp://127.0.0.1:3478", null, null, "10.0.0.6", null));
        assertEquals("relay_address_ipv6", notIpv6.key());
        assertTrue(notIpv6.getMessage().contains("not an IPv6 address"), notIpv6.getMessage());
        assertEquals("relay_address_ipv6", assertThrows(InvalidSettingException.class,
                () -> relayAddresses("udp://127.0.0.1:3478", null, null, "::ffff:10.0.0.6", null)).key(),
                "an IPv4-mapped address is IPv4");
        assertEquals("relay_address", assertThrows(InvalidSettingException.class,
                () -> relayAddresses("udp://127.0.0.1:3478", "fd00::5", null, "fd00::6", null)).key(),
                "two IPv6 relay addresses");
        assertEquals("relay_address", assertThrows(InvalidSettingException.class,
                () -> relayAddresses("udp://[::1]:3478", null, null, "fd00::6", null)).key(),
                "an IPv6 listen host is no IPv4 relay address");
        assertEquals("external_address", assertThrows(InvalidSettingException.class,
                () -> relayAddresses("udp://127.0.0.1:3478", "10.0.0.5", "2001:db8::5", null, null)).key());
        assertEquals("external_address_ipv6", assertThrows(InvalidSettingException.class,
                () -> relayAddresses("udp://127.0.0.1:3478", null, null, null, "2001:db8::5")).key(),
                "an IPv6 external address needs an IPv6 relay address");
        assertEquals("external_address_ipv6", assertThrows(InvalidSettingException.class,
                () -> relayAddresses("udp://127.0.0.1:3478", null, null, "fd00::5", "203.0.113.10")).key());
        assertEquals("relay_address_ipv6", assertThrows(InvalidSettingException.class,
                () -> relayAddresses("udp://127.0.0.1:3478", null, null, "relay6.example.org", null)).key());
    }

    @Test
    void acceptsATlsSectionWithoutTlsListeners() {
        RelayConfig c = RelayConfig.builder("r")
                .listen("udp://127.0.0.1:3478")
                .tls(RelayConfig.Tls.of(Path.of("cert.pem"), Path.of("key.pem")))
                .build();
        assertEquals(Path.of("cert.pem"), c.tls().certFile());
    }

    @Test
    void isFoundByServiceLoaderAsNetty() {
        boolean found = false;
        for (RelayServerProvider<?> p : ServiceLoader.load(RelayServerProvider.class)) {
            if (p.type().equals("netty")) {
                found = true;
                assertEquals(RelayConfig.class, p.configType());
            }
        }
        assertTrue(found, "META-INF/services registers the netty relay");
    }

    @Test
    void refusesABadPeerListWhenTheRelayIsCreated() {
        RelayConfig bad = RelayConfig.builder("r")
                .listen("udp://127.0.0.1:0")
                .allowedPeers("not-a-network")
                .threads(1)
                .build();
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> new NettyRelayProvider().create(bad, null));
        assertEquals("allowed_peers[0]", e.key());
    }
}
