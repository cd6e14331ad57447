package dev.tern.relay.server;

import dev.tern.relay.allocation.Allocation;
import dev.tern.relay.allocation.AllocationTable;
import dev.tern.relay.core.allocation.Traffic;
import dev.tern.relay.core.allocation.TrafficReport;
import dev.tern.spi.RelayListener.Direction;
import dev.tern.spi.RelayListener.Plane;
import io.netty.channel.EventLoop;
import java.util.concurrent.TimeUnit;

/**
 * Lifetimes of the allocations of one listening socket: how long one is granted, its expiry timer on
 * the event loop (never a thread per allocation), its end, and telling the data plane of each change.
 *
 * <p>Not thread-safe: confined to the socket's event loop.
 */
final class AllocationLifecycle {

    private final RelayRuntime runtime;
    private final AllocationTable table;
    private final EventLoop loop;

    AllocationLifecycle(RelayRuntime runtime, AllocationTable table, EventLoop loop) {
        this.runtime = runtime;
        this.table = table;
        this.loop = loop;
    }

    /** (Re)starts the allocation's expiry timer. */
    void expireIn(Allocation allocation, long seconds) {
        allocation.expiry(seconds, runtime.nanoTime().getAsLong(), runtime.clock().instant(),
                loop.schedule(() -> close(allocation, "expired"), seconds, TimeUnit.SECONDS));
        changed(allocation);
    }

    /** The allocation's channels, permissions or lifetime changed: the data plane follows. */
    void changed(Allocation allocation) {
        runtime.planes().dataPlane().changed(allocation);
    }

    /** Ends an allocation: closes its relay sockets, frees its slot and reports it. Idempotent. */
    void close(Allocation allocation, String reason) {
        if (!allocation.markClosed()) {
            return;
        }
        table.remove(allocation);
        runtime.admission().registry().remove(allocation);
        runtime.admission().fleetLeases().release(allocation);
        runtime.planes().ownAddresses().removeAll(allocation);
        runtime.planes().dataPlane().ended(allocation);
        for (Allocation.Relay relay : allocation.relays()) {
            relay.channel().close();
        }
        report(allocation);
        runtime.observers().events().allocationDeleted(allocation.view(), reason);
    }

    /**
     * Ends one family's half of a dual allocation: removes its relay socket (and the permissions and
     * channels of that family) from the allocation and closes it.
     *
     * @return false (nothing changed) when the allocation has no other family
     */
    boolean closeFamily(Allocation allocation, boolean ipv6) {
        Allocation.Relay removed = allocation.removeFamily(ipv6, runtime.nanoTime().getAsLong());
        if (removed == null) {
            return false;
        }
        runtime.planes().ownAddresses().remove(removed);
        removed.channel().close();
        changed(allocation); // a kernel data plane drops the routes of the half's channels now
        return true;
    }

    /** Closes every allocation of the socket. */
    void closeAll(String reason) {
        for (Allocation a : table.all()) {
            close(a, reason);
        }
    }

    /** Reports the traffic of every allocation since the last report. */
    void reportAll() {
        for (Allocation a : table.all()) {
            runtime.planes().dataPlane().collect(a);
            report(a);
        }
    }

    private void relayedBy(Plane plane, Traffic traffic) {
        if (traffic.packetsToPeers() > 0) {
            runtime.observers().events().relayedBy(plane, Direction.TO_PEER, traffic.packetsToPeers(),
                    traffic.bytesToPeers());
        }
        if (traffic.packetsFromPeers() > 0) {
            runtime.observers().events().relayedBy(plane, Direction.FROM_PEER, traffic.packetsFromPeers(),
                    traffic.bytesFromPeers());
        }
    }

    private void report(Allocation allocation) {
        TrafficReport d = allocation.drainCounters();
        RelayEvents events = runtime.observers().events();
        Traffic relayed = d.relayed();
        if (relayed.packetsToPeers() > 0) {
            events.relayed(Direction.TO_PEER, relayed.packetsToPeers(), relayed.bytesToPeers());
        }
        if (relayed.packetsFromPeers() > 0) {
            events.relayed(Direction.FROM_PEER, relayed.packetsFromPeers(), relayed.bytesFromPeers());
        }
        relayedBy(Plane.KERNEL, d.kernel());
        relayedBy(Plane.USER, d.user());
        if (d.droppedPackets() > 0) {
            events.rateLimited(d.droppedPackets(), d.droppedBytes());
        }
        if (d.oversizedPackets() > 0) {
            events.oversizedDropped(d.oversizedPackets());
        }
    }
}
