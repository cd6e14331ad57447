package dev.tern.matrix.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.AddressRange;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientAddressTest {

    static ClientAddress trusting(String... blocks) {
        return new ClientAddress(List.of(blocks).stream().map(b -> AddressRange.parse(b)).toList());
    }

    static String clientOf(ClientAddress addresses, String peer, List<String> forwardedFor) throws Exception {
        return addresses.of(new MatrixRequest("GET", "/", "", Map.of("X-Forwarded-For", forwardedFor),
                InetAddress.getByName(peer))).getHostAddress();
    }

    @Test
    void ignoresTheHeaderFromAnUntrustedPeer() throws Exception {
        assertEquals("192.0.2.1", clientOf(trusting("10.0.0.0/8"), "192.0.2.1", List.of("203.0.113.5")));
        assertEquals("192.0.2.1", clientOf(trusting(), "192.0.2.1", List.of("203.0.113.5")));
    }

    @Test
    void walksFromTheNearestHopAcrossSeveralHeaders() throws Exception {
        ClientAddress addresses = trusting("10.0.0.0/8", "::1");
        assertEquals("203.0.113.5", clientOf(addresses, "::1", List.of("198.51.100.1, 203.0.113.5", "10.0.0.2")));
        assertEquals("2001:db8:0:0:0:0:0:7", clientOf(addresses, "10.1.1.1", List.of("[2001:db8::7]")));
    }

    @Test
    void stopsAtGarbageAndNeverResolvesNames() throws Exception {
        ClientAddress addresses = trusting("10.0.0.0/8");
        assertEquals("10.0.0.9", clientOf(addresses, "10.0.0.1", List.of("localhost, 10.0.0.9")));
        assertEquals("10.0.0.1", clientOf(addresses, "10.0.0.1", List.of("unknown")));
        assertEquals("10.0.0.1", clientOf(addresses, "10.0.0.1", List.of("999.1.1.1")));
    }

    @Test
    void limitsCountIpv4ByAddressAndIpv6ByItsSlash64() throws Exception {
        assertEquals("192.0.2.1", ClientAddress.limitKey(InetAddress.getByName("192.0.2.1")));
        assertEquals("192.0.2.1", ClientAddress.limitKey(java.net.Inet6Address.getByAddress(null,
                new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 192, 0, 2, 1}, -1)));
        String key = ClientAddress.limitKey(InetAddress.getByName("2001:db8:0:1::7"));
        assertEquals("2001:db8:0:1::/64", key);
        assertEquals(key, ClientAddress.limitKey(InetAddress.getByName("2001:db8:0:1:ffff:ffff:ffff:ffff")));
        assertFalse(key.equals(ClientAddress.limitKey(InetAddress.getByName("2001:db8:0:2::7"))));
    }
}
