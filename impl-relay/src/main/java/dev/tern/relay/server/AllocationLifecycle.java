package dev.tern.relay.server;

import dev.tern.relay.allocation.Allocation;
import dev.tern.relay.allocation.AllocationTable;
import dev.tern.relay.allocation.Traffic;
import dev.tern.spi.RelayListener.Direction;
import dev.tern.spi.RelayListener.Plane;
import dev.tern.spi.Verification;
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

    /**
     * The lifetime granted for a requested one (-1 when none was asked): the default at least, capped
     * by {@code max_allocation_lifetime} and, with {@code strict_expiry}, by the credentials' expiry.
     */
    long lifetimeSeconds(long requested, Verification.Accepted credentials) {
        long def = runtime.defaultLifetime().toSeconds();
        long max = runtime.maxLifetime().toSeconds();
        long lifetime = requested < 0 ? def : Math.min(Math.max(requested, def), max);
        if (runtime.strictExpiry() && credentials.expiresAt().isPresent()) {
            long left = credentials.expiresAt().get().getEpochSecond() - runtime.clock().instant().getEpochSecond();
            lifetime = Math.max(1, Math.min(lifetime, left));
        }
        return lifetime;
    }

    /** (Re)starts the allocation's expiry timer. */
    void expireIn(Allocation allocation, long seconds) {
        allocation.expiry(runtime.clock().instant().plusSeconds(seconds),
                loop.schedule(() -> close(allocation, "expired"), seconds, TimeUnit.SECONDS));
        changed(allocation);
    }

    /** The allocation's channels, permissions or lifetime changed: the data plane follows. */
    void changed(Allocation allocation) {
        runtime.dataPlane().changed(allocation);
    }

    /** Ends an allocation: closes its relay sockets, frees its slot and reports it. Idempotent. */
    void close(Allocation allocation, String reason) {
        if (!allocation.markClosed()) {
            return;
        }
        table.remove(allocation);
        runtime.registry().remove(allocation);
        runtime.fleetLeases().release(allocation);
        runtime.ownAddresses().removeAll(allocation);
        runtime.dataPlane().ended(allocation);
        for (Allocation.Relay relay : allocation.relays()) {
            relay.channel().close();
        }
        report(allocation);
        runtime.events().allocationDeleted(allocation.view(), reason);
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
        runtime.ownAddresses().remove(removed);
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
            runtime.dataPlane().collect(a);
            report(a);
        }
    }

    private void relayedBy(Plane plane, long packetsTo, long bytesTo, long packetsFrom, long bytesFrom) {
        if (packetsTo > 0) {
            runtime.events().relayedBy(plane, Direction.TO_PEER, packetsTo, bytesTo);
        }
        if (packetsFrom > 0) {
            runtime.events().relayedBy(plane, Direction.FROM_PEER, packetsFrom, bytesFrom);
        }
    }

    private void report(Allocation allocation) {
        long[] d = allocation.drainCounters();
        RelayEvents events = runtime.events();
        if (d[0] > 0) {
            events.relayed(Direction.TO_PEER, d[0], d[1]);
        }
        if (d[2] > 0) {
            events.relayed(Direction.FROM_PEER, d[2], d[3]);
        }
        Traffic kernel = allocation.drainKernelTraffic();
        relayedBy(Plane.KERNEL, kernel.packetsToPeers(), kernel.bytesToPeers(), kernel.packetsFromPeers(),
                kernel.bytesFromPeers());
        relayedBy(Plane.USER, d[0] - kernel.packetsToPeers(), d[1] - kernel.bytesToPeers(),
                d[2] - kernel.packetsFromPeers(), d[3] - kernel.bytesFromPeers());
        if (d[4] > 0) {
            events.rateLimited(d[4], d[5]);
        }
        if (d[6] > 0) {
            events.oversizedDropped(d[6]);
        }
    }
}
