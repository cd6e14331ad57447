package dev.tern.relay.plane;

import dev.tern.spi.DataPlaneStatus.Carried;
import dev.tern.spi.RelayListener;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What each data plane carried since the relay started, summed from the relay's own
 * {@link RelayListener#relayedBy} events (about once a second per allocation, never per packet).
 *
 * <p>Thread-safe.
 */
public final class CarriedTotals implements RelayListener {

    private final AtomicLong userPackets = new AtomicLong();
    private final AtomicLong userBytes = new AtomicLong();
    private final AtomicLong kernelPackets = new AtomicLong();
    private final AtomicLong kernelBytes = new AtomicLong();

    @Override
    public void relayedBy(Plane plane, Direction direction, long packets, long bytes) {
        (plane == Plane.KERNEL ? kernelPackets : userPackets).addAndGet(packets);
        (plane == Plane.KERNEL ? kernelBytes : userBytes).addAndGet(bytes);
    }

    /** What {@code plane} carried, both directions together. */
    public Carried carried(Plane plane) {
        return plane == Plane.KERNEL ? new Carried(kernelPackets.get(), kernelBytes.get())
                : new Carried(userPackets.get(), userBytes.get());
    }
}
