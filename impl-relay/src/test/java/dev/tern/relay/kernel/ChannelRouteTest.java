package dev.tern.relay.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class ChannelRouteTest {

    private static final InetSocketAddress V4_A = new InetSocketAddress("192.0.2.1", 5000);
    private static final InetSocketAddress V4_B = new InetSocketAddress("192.0.2.2", 3478);
    private static final InetSocketAddress V6_A = new InetSocketAddress("2001:db8::1", 5000);
    private static final InetSocketAddress V6_B = new InetSocketAddress("2001:db8::2", 6000);

    @Test
    void acceptsAnIpv4ClientWithAnIpv6Peer() {
        ChannelRoute route = ChannelRoute.of(V4_A, V4_B, V6_A, V6_B, 0x4000);
        assertEquals(0x4000, route.channel());
    }

    @Test
    void refusesChannelsOutsideTheChannelDataRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ChannelRoute.of(V4_A, V4_B, V4_A, V4_B, 0x3FFF));
        assertTrue(e.getMessage().contains("channel 0x3fff"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ChannelRoute.of(V4_A, V4_B, V4_A, V4_B, 0x8000));
    }

    @Test
    void refusesMixedFamiliesOnOneSideNamingTheFields() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ChannelRoute.of(V4_A, V6_B, V4_A, V4_B, 0x4000));
        assertTrue(e.getMessage().startsWith("client "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ChannelRoute.of(V4_A, V4_B, V4_A, V6_B, 0x4000));
        assertTrue(e.getMessage().startsWith("relayed "), e.getMessage());
    }

    @Test
    void refusesWildcardAndUnresolvedAddressesNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ChannelRoute.of(V4_A, new InetSocketAddress("0.0.0.0", 3478), V4_A, V4_B, 0x4000));
        assertTrue(e.getMessage().startsWith("listener ") && e.getMessage().contains("wildcard"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ChannelRoute.of(V4_A, V4_B, new InetSocketAddress("192.0.2.9", 0), V4_B, 0x4000));
        assertTrue(e.getMessage().startsWith("relayed "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ChannelRoute.of(V4_A, V4_B, V4_A,
                InetSocketAddress.createUnresolved("peer.example", 1), 0x4000));
        assertTrue(e.getMessage().startsWith("peer "), e.getMessage());
    }
}
