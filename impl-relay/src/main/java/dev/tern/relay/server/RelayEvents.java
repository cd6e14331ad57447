package dev.tern.relay.server;

import dev.tern.spi.AllocationView;
import dev.tern.spi.RelayListener;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands relay events to every {@link RelayListener}, in the order they were added; a listener that
 * throws is logged and skipped, never allowed to break the relay.
 *
 * <p>Thread-safe.
 */
public final class RelayEvents implements RelayListener {

    private static final Logger LOG = LoggerFactory.getLogger(RelayEvents.class);

    private final List<RelayListener> listeners = new CopyOnWriteArrayList<>();

    public void add(RelayListener listener) {
        listeners.add(listener);
    }

    private void each(Consumer<RelayListener> call) {
        for (RelayListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                LOG.warn("relay listener {} failed", l.getClass().getName(), e);
            }
        }
    }

    @Override
    public void allocationCreated(AllocationView allocation) {
        each(l -> l.allocationCreated(allocation));
    }

    @Override
    public void allocationRefreshed(AllocationView allocation) {
        each(l -> l.allocationRefreshed(allocation));
    }

    @Override
    public void allocationDeleted(AllocationView allocation, String reason) {
        each(l -> l.allocationDeleted(allocation, reason));
    }

    @Override
    public void permissionCreated(AllocationView allocation, InetAddress peer) {
        each(l -> l.permissionCreated(allocation, peer));
    }

    @Override
    public void channelBound(AllocationView allocation, int channelNumber, String peer) {
        each(l -> l.channelBound(allocation, channelNumber, peer));
    }

    @Override
    public void relayed(Direction direction, long packets, long bytes) {
        each(l -> l.relayed(direction, packets, bytes));
    }

    @Override
    public void relayedBy(Plane plane, Direction direction, long packets, long bytes) {
        each(l -> l.relayedBy(plane, direction, packets, bytes));
    }

    @Override
    public void rateLimited(long packets, long bytes) {
        each(l -> l.rateLimited(packets, bytes));
    }

    @Override
    public void oversizedDropped(long packets) {
        each(l -> l.oversizedDropped(packets));
    }

    @Override
    public void authFailed(AuthFailure reason) {
        each(l -> l.authFailed(reason));
    }

    @Override
    public void peerRefused() {
        each(RelayListener::peerRefused);
    }

    @Override
    public void quotaRefused(Refusal reason) {
        each(l -> l.quotaRefused(reason));
    }
}
