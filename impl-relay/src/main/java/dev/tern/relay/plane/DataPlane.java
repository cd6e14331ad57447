package dev.tern.relay.plane;

import dev.tern.relay.allocation.Allocation;
import dev.tern.spi.RelayListener.Plane;

/**
 * Where relayed data is forwarded: in user space by the Netty handlers (always, the fallback), and for bound
 * UDP channels possibly in the kernel as well. The relay tells the plane when an allocation's channels,
 * permissions or lifetime change, polls it for what it carried, and tells it when the allocation ends; the
 * plane keeps whatever it forwards in step with that state, so that a packet the allocation no longer allows
 * meets user space's rules.
 *
 * <p>Nothing here runs per packet. Every method taking an allocation is called on that allocation's event loop;
 * implementations are thread-safe across allocations of different loops.
 */
public interface DataPlane extends AutoCloseable {

    /** Which plane this is, as reported in logs, metrics and the admin page. */
    Plane kind();

    /** Channels were bound or refreshed, permissions created or refreshed, or the allocation's lifetime changed. */
    void changed(Allocation allocation);

    /**
     * Reads what the plane carried for the allocation since the last call into its counters and charges it to
     * its rate limit; called about once a second, before the allocation's traffic is reported.
     */
    void collect(Allocation allocation);

    /** The allocation ended (expiry, Refresh 0, deletion, connection closed, drain): nothing of it is forwarded
     *  any more, and its last counts are in its counters. */
    void ended(Allocation allocation);

    /** Stops forwarding anything; called once every allocation has ended. Idempotent. */
    @Override
    void close();
}
