package dev.tern.relay.core.allocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.Transport;
import dev.tern.relay.quota.Bandwidth;
import dev.tern.spi.LongTermKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Permission, channel, lifetime and counter rules of RFC 8656 on a plain allocation, time given by hand. */
class AllocationStateTest {

    private static final long S = TimeUnit.SECONDS.toNanos(1);
    private static final InetSocketAddress A = new InetSocketAddress(InetAddress.getLoopbackAddress(), 1000);
    private static final InetSocketAddress B = new InetSocketAddress(InetAddress.getLoopbackAddress(), 2000);
    private static final InetSocketAddress RELAYED4 = new InetSocketAddress("203.0.113.1", 50000);
    private static final InetSocketAddress RELAYED6 = new InetSocketAddress("2001:db8::1", 50002);

    private static AllocationState allocation(int maxPermissions, InetSocketAddress... relayed) {
        return new AllocationState(new AllocationState.Owner("@a:x", "1:@a:x",
                new LongTermKey(new byte[16], new byte[32]), false), new AllocationState.Endpoints(A, Transport.UDP,
                relayed.length == 0 ? List.of(RELAYED4) : List.of(relayed)), Instant.EPOCH,
                new AllocationState.Limits(Bandwidth.UNLIMITED, maxPermissions));
    }

    @Test
    void permissionsLastExactlyFiveMinutes() throws Exception {
        AllocationState a = allocation(10);
        InetAddress peer = InetAddress.getByName("203.0.113.9");
        assertTrue(a.permit(List.of(peer), 0));
        assertTrue(a.permitted(peer, 300 * S - 1));
        assertFalse(a.permitted(peer, 300 * S));
    }

    @Test
    void refusesPermissionsBeyondTheLimitButReusesExpiredSlots() throws Exception {
        AllocationState a = allocation(2);
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
        AllocationState a = allocation(10);
        assertEquals(AllocationState.BindResult.BOUND, a.bind(0x4000, A, false, 0));
        assertEquals(AllocationState.BindResult.REFRESHED, a.bind(0x4000, A, false, 10 * S));
        assertEquals(AllocationState.BindResult.CONFLICT, a.bind(0x4000, B, false, 10 * S),
                "number taken by another peer");
        assertEquals(AllocationState.BindResult.CONFLICT, a.bind(0x4001, A, false, 10 * S),
                "peer bound to another number");
        assertEquals(A, a.boundChannel(0x4000, 10 * S).peer());
        assertEquals(0x4000, a.channelFor(A, 10 * S));
        assertTrue(a.permitted(A.getAddress(), 10 * S), "a channel installs a permission");
    }

    @Test
    void keepsAnExpiredChannelReservedForFiveMoreMinutes() {
        AllocationState a = allocation(10);
        a.bind(0x4000, A, false, 0);
        long expired = 600 * S;
        assertNull(a.boundChannel(0x4000, expired), "expired after 10 minutes");
        assertEquals(-1, a.channelFor(A, expired));
        assertEquals(AllocationState.BindResult.CONFLICT, a.bind(0x4000, B, false, expired + 299 * S));
        assertEquals(AllocationState.BindResult.CONFLICT, a.bind(0x4001, A, false, expired + 299 * S));
        assertEquals(AllocationState.BindResult.BOUND, a.bind(0x4000, B, false, expired + 300 * S));
        assertEquals(B, a.boundChannel(0x4000, expired + 300 * S).peer());
    }

    @Test
    void keepsEveryChannelOfAManyChannelAllocationFindableAfterUnbinding() {
        AllocationState a = allocation(10);
        for (int i = 0; i < 200; i++) {
            assertEquals(AllocationState.BindResult.BOUND,
                    a.bind(0x4000 + i * 17, new InetSocketAddress(A.getAddress(), 3000 + i), false, 0));
        }
        // Past their reservation, a new bind purges all of them but the new one.
        long later = 901 * S;
        assertEquals(AllocationState.BindResult.BOUND, a.bind(0x4FFF, B, false, later));
        for (int i = 0; i < 200; i++) {
            assertNull(a.boundChannel(0x4000 + i * 17, later));
        }
        assertEquals(B, a.boundChannel(0x4FFF, later).peer());
        assertEquals(1, a.liveChannels(later).size());
    }

    @Test
    void liveChannelsEndWithTheEarlierOfPermissionAndBinding() throws Exception {
        AllocationState a = allocation(10);
        a.bind(0x4000, A, false, 0);
        a.bind(0x4001, RELAYED4, true, 0);
        assertEquals(List.of(new LiveChannel(0x4000, A, 300 * S)), a.liveChannels(S),
                "the permission (300 s) ends first; a channel to a relayed address is never a plane's");
        a.permit(List.of(A.getAddress()), 299 * S);
        assertEquals(List.of(new LiveChannel(0x4000, A, 599 * S)), a.liveChannels(299 * S));
        a.permit(List.of(A.getAddress()), 400 * S);
        assertEquals(List.of(new LiveChannel(0x4000, A, 600 * S)), a.liveChannels(400 * S), "then the binding");
        assertEquals(List.of(), a.liveChannels(600 * S));
    }

    @Test
    void expiresWhenItsLifetimeRunsOut() {
        AllocationState a = allocation(10);
        a.expireIn(600, 5 * S, Instant.EPOCH);
        assertFalse(a.expired(605 * S - 1));
        assertTrue(a.expired(605 * S));
        assertEquals(Instant.EPOCH.plusSeconds(600), a.expiresAt());
    }

    @Test
    void removingAFamilyForgetsItsPeers() throws Exception {
        AllocationState a = allocation(10, RELAYED6, RELAYED4);
        assertEquals(List.of(RELAYED4, RELAYED6), a.relayed(), "IPv4 first");
        InetSocketAddress peer6 = new InetSocketAddress("2001:db8::9", 7);
        InetSocketAddress peer4 = new InetSocketAddress("198.51.100.9", 7);
        a.bind(0x4000, peer6, false, 0);
        a.bind(0x4001, peer4, false, 0);
        assertTrue(a.removeFamily(true, S));
        assertFalse(a.removeFamily(false, S), "never the last family");
        assertEquals(List.of(RELAYED4), a.relayed());
        assertFalse(a.relaysFamilyOf(peer6.getAddress()));
        assertFalse(a.permitted(peer6.getAddress(), S));
        assertNull(a.boundChannel(0x4000, S));
        assertEquals(peer4, a.boundChannel(0x4001, S).peer());
    }

    @Test
    void countsAndDrainsTrafficAsARecord() {
        AllocationState a = allocation(10);
        a.countToPeer(100);
        a.countFromPeer(40);
        a.countFromPeer(60);
        a.countKernel(new Traffic(3, 30, 0, 0));
        a.dropOversized();
        TrafficReport first = a.drainCounters();
        assertEquals(new TrafficReport(new Traffic(4, 130, 2, 100), new Traffic(3, 30, 0, 0), 0, 0, 1), first);
        assertEquals(new Traffic(1, 100, 2, 100), first.user());
        assertEquals(new TrafficReport(Traffic.NONE, Traffic.NONE, 0, 0, 0), a.drainCounters());
        assertEquals(130, a.view().traffic().bytesToPeers());
        assertEquals(100, a.view().traffic().bytesFromPeers());
    }

    @Test
    void countsWhatTheRateLimitDrops() {
        long[] now = {0};
        AllocationState a = new AllocationState(new AllocationState.Owner("@a:x", "1:@a:x",
                new LongTermKey(new byte[16], new byte[32]), false), new AllocationState.Endpoints(A, Transport.UDP,
                List.of(RELAYED4)), Instant.EPOCH, new AllocationState.Limits(Bandwidth.eachWay(1, () -> now[0]), 10));
        assertTrue(a.admitToPeer(16 * 1024), "a burst of at least 16 KiB");
        assertFalse(a.admitToPeer(100));
        assertTrue(a.admitFromPeer(100), "each direction has a budget of its own");
        TrafficReport r = a.drainCounters();
        assertEquals(1, r.droppedPackets());
        assertEquals(100, r.droppedBytes());
    }
}
