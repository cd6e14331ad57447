package dev.tern.relay.allocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.relay.quota.Bandwidth;
import dev.tern.spi.LongTermKey;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Permission and channel rules of RFC 8656, with time given by hand (no sockets needed). */
class AllocationTest {

    private static final long S = TimeUnit.SECONDS.toNanos(1);
    private static final InetSocketAddress A = new InetSocketAddress(InetAddress.getLoopbackAddress(), 1000);
    private static final InetSocketAddress B = new InetSocketAddress(InetAddress.getLoopbackAddress(), 2000);

    private static Allocation allocation(int maxPermissions) {
        return new Allocation("@a:x", "1:@a:x", new LongTermKey(new byte[16], new byte[32]), false, A, null, null, B,
                Instant.EPOCH, Instant.EPOCH, Bandwidth.UNLIMITED, maxPermissions, dev.tern.spi.Transport.UDP);
    }

    @Test
    void permissionsLastExactlyFiveMinutes() throws Exception {
        Allocation a = allocation(10);
        InetAddress peer = InetAddress.getByName("203.0.113.9");
        assertTrue(a.permit(List.of(peer), 0));
        assertTrue(a.permitted(peer, 300 * S - 1));
        assertFalse(a.permitted(peer, 300 * S));
    }

    @Test
    void refusesPermissionsBeyondTheLimitButReusesExpiredSlots() throws Exception {
        Allocation a = allocation(2);
        InetAddress p1 = InetAddress.getByName("203.0.113.1");
        InetAddress p2 = InetAddress.getByName("203.0.113.2");
        InetAddress p3 = InetAddress.getByName("203.0.113.3");
        assertTrue(a.permit(List.of(p1, p2), 0));
        assertFalse(a.permit(List.of(p3), S), "all or nothing when over the limit");
        assertTrue(a.permit(List.of(p1), S), "refreshing an existing permission needs no new slot");
        assertTrue(a.permit(List.of(p3), 301 * S), "expired permissions free their slots");
    }

    @Test
    void bindsRefreshesAndRefusesConflictingChannels() {
        Allocation a = allocation(10);
        assertEquals(Allocation.BindResult.BOUND, a.bind(0x4000, A, false, 0));
        assertEquals(Allocation.BindResult.REFRESHED, a.bind(0x4000, A, false, 10 * S));
        assertEquals(Allocation.BindResult.CONFLICT, a.bind(0x4000, B, false, 10 * S), "number taken by another peer");
        assertEquals(Allocation.BindResult.CONFLICT, a.bind(0x4001, A, false, 10 * S), "peer bound to another number");
        assertEquals(A, a.boundChannel(0x4000, 10 * S).peer());
        assertEquals(0x4000, a.channelFor(A, 10 * S));
        assertTrue(a.permitted(A.getAddress(), 10 * S), "a channel installs a permission");
    }

    @Test
    void keepsAnExpiredChannelReservedForFiveMoreMinutes() {
        Allocation a = allocation(10);
        a.bind(0x4000, A, false, 0);
        long expired = 600 * S;
        assertNull(a.boundChannel(0x4000, expired), "expired after 10 minutes");
        assertEquals(-1, a.channelFor(A, expired));
        assertEquals(Allocation.BindResult.CONFLICT, a.bind(0x4000, B, false, expired + 299 * S));
        assertEquals(Allocation.BindResult.CONFLICT, a.bind(0x4001, A, false, expired + 299 * S));
        assertEquals(Allocation.BindResult.BOUND, a.bind(0x4000, B, false, expired + 300 * S));
        assertEquals(B, a.boundChannel(0x4000, expired + 300 * S).peer());
    }

    @Test
    void countsAndDrainsTraffic() {
        Allocation a = allocation(10);
        a.countToPeer(100);
        a.countFromPeer(40);
        a.countFromPeer(60);
        a.dropOversized();
        long[] first = a.drainCounters();
        assertEquals(List.of(1L, 100L, 2L, 100L, 0L, 0L, 1L), java.util.Arrays.stream(first).boxed().toList());
        long[] second = a.drainCounters();
        assertEquals(0, java.util.Arrays.stream(second).sum());
        assertEquals(100, a.view().bytesToPeers());
        assertEquals(100, a.view().bytesFromPeers());
    }

    @Test
    void dualAllocationSendsToEachPeerThroughTheRelaySocketOfItsFamily() throws Exception {
        EmbeddedChannel relay4 = new EmbeddedChannel();
        EmbeddedChannel relay6 = new EmbeddedChannel();
        InetSocketAddress relayed4 = new InetSocketAddress(InetAddress.getByName("203.0.113.1"), 50000);
        InetSocketAddress relayed6 = new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 50002);
        // Given IPv6 first: the allocation still lists IPv4 first, as XOR-RELAYED-ADDRESS must.
        Allocation a = new Allocation("@a:x", "1:@a:x", new LongTermKey(new byte[16], new byte[32]), false, A, null,
                List.of(new Allocation.Relay(relay6, relayed6), new Allocation.Relay(relay4, relayed4)), Instant.EPOCH,
                Instant.EPOCH, Bandwidth.UNLIMITED, 10, dev.tern.spi.Transport.UDP);
        assertEquals(relay4, a.relayChannel(new InetSocketAddress("198.51.100.7", 9)));
        assertEquals(relay6, a.relayChannel(new InetSocketAddress("2001:db8::7", 9)));
        assertEquals(relayed4, a.relayed());
        assertEquals(List.of(relayed4, relayed6), a.view().relayedAddresses());
        assertEquals(relayed4, a.view().relayed());
        assertTrue(a.relaysFamilyOf(InetAddress.getByName("2001:db8::7")));
    }

    @Test
    void singleFamilyAllocationHasNoSocketForTheOtherFamily() throws Exception {
        Allocation a = allocation(10);
        assertNull(a.relayChannel(new InetSocketAddress("2001:db8::7", 9)));
        assertFalse(a.relaysFamilyOf(InetAddress.getByName("2001:db8::7")));
        assertEquals(List.of(B), a.view().relayedAddresses());
        assertThrows(IllegalArgumentException.class, () -> new Allocation("@a:x", "1:@a:x",
                new LongTermKey(new byte[16], new byte[32]), false, A, null,
                List.of(new Allocation.Relay(null, A), new Allocation.Relay(null, B)), Instant.EPOCH, Instant.EPOCH,
                Bandwidth.UNLIMITED, 10, dev.tern.spi.Transport.UDP), "two IPv4 relay sockets");
    }
}
