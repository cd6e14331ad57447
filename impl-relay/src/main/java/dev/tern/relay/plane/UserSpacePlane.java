package dev.tern.relay.plane;

import dev.tern.relay.allocation.Allocation;
import dev.tern.spi.RelayListener.Plane;

/**
 * The user-space plane: the Netty handlers ({@link dev.tern.relay.transport.ClientDataHandler},
 * {@link dev.tern.relay.transport.PeerDataHandler}) forward and count everything, so there is nothing to do here.
 *
 * <p>Stateless and thread-safe.
 */
public final class UserSpacePlane implements DataPlane {

    @Override
    public Plane kind() {
        return Plane.USER;
    }

    @Override
    public void changed(Allocation allocation) {
    }

    @Override
    public void collect(Allocation allocation) {
    }

    @Override
    public void ended(Allocation allocation) {
    }

    @Override
    public void close() {
    }
}
