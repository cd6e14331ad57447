package dev.tern.relay.allocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.relay.quota.Bandwidth;
import dev.tern.relay.core.allocation.AllocationState;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sockets of an allocation: one relay socket per family, IPv4 first (its rules: {@code AllocationStateTest}). */
class AllocationTest {

    private static final InetSocketAddress A = new InetSocketAddress(InetAddress.getLoopbackAddress(), 1000);
    private static final InetSocketAddress B = new InetSocketAddress(InetAddress.getLoopbackAddress(), 2000);

    private static Allocation allocation(int maxPermissions) {
        return TestAllocations.of(A, dev.tern.spi.Transport.UDP, null, List.of(Allocation.Relay.of(null, B)),
                new AllocationState.Limits(Bandwidth.UNLIMITED, maxPermissions), Instant.EPOCH);
    }

    @Test
    void dualAllocationSendsToEachPeerThroughTheRelaySocketOfItsFamily() throws Exception {
        EmbeddedChannel relay4 = new EmbeddedChannel();
        EmbeddedChannel relay6 = new EmbeddedChannel();
        InetSocketAddress relayed4 = new InetSocketAddress(InetAddress.getByName("203.0.113.1"), 50000);
        InetSocketAddress relayed6 = new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 50002);
        // Given IPv6 first: the allocation still lists IPv4 first, as XOR-RELAYED-ADDRESS must.
        Allocation a = TestAllocations.of(A, dev.tern.spi.Transport.UDP, null,
                List.of(Allocation.Relay.of(relay6, relayed6), Allocation.Relay.of(relay4, relayed4)),
                TestAllocations.UNLIMITED, Instant.EPOCH);
        assertEquals(relay4, a.relayChannel(new InetSocketAddress("198.51.100.7", 9)));
        assertEquals(relay6, a.relayChannel(new InetSocketAddress("2001:db8::7", 9)));
        assertEquals(relayed4, a.relayed());
        assertEquals(List.of(relayed4, relayed6), a.view().addresses().relayedAddresses());
        assertEquals(relayed4, a.view().addresses().relayed());
        assertTrue(a.relaysFamilyOf(InetAddress.getByName("2001:db8::7")));
    }

    @Test
    void singleFamilyAllocationHasNoSocketForTheOtherFamily() throws Exception {
        Allocation a = allocation(10);
        assertNull(a.relayChannel(new InetSocketAddress("2001:db8::7", 9)));
        assertFalse(a.relaysFamilyOf(InetAddress.getByName("2001:db8::7")));
        assertEquals(List.of(B), a.view().addresses().relayedAddresses());
        assertThrows(IllegalArgumentException.class, () -> TestAllocations.of(A, dev.tern.spi.Transport.UDP, null,
                List.of(Allocation.Relay.of(null, A), Allocation.Relay.of(null, B)), TestAllocations.UNLIMITED,
                Instant.EPOCH), "two IPv4 relay sockets");
    }
}
