package dev.tern.relay.core.allocation;

import java.net.InetSocketAddress;

/**
 * One channel number bound to one peer transport address in an allocation. After the binding
 * expires the pair stays reserved for five more minutes (RFC 8656 section 12): neither the number nor
 * the peer may be bound to anything else until then.
 *
 * <p>Not thread-safe: owned by the allocation's event loop.
 */
public final class ChannelBinding {

    final int number;
    final InetSocketAddress peer;
    final boolean toRelayedAddress;
    long expiresAtNanos;

    ChannelBinding(int number, InetSocketAddress peer, boolean toRelayedAddress, long expiresAtNanos) {
        this.number = number;
        this.peer = peer;
        this.toRelayedAddress = toRelayedAddress;
        this.expiresAtNanos = expiresAtNanos;
    }

    /** The channel number. */
    public int number() {
        return number;
    }

    /** The peer transport address bound to it. */
    public InetSocketAddress peer() {
        return peer;
    }

    /**
     * Whether the peer was, at ChannelBind, the relayed address of a live allocation of this relay: data on this
     * channel is then handed over inside the relay, never sent (#16 point 12), and no data plane forwards it.
     * Decided once, so the forwarding path tests a field instead of a table.
     */
    public boolean toRelayedAddress() {
        return toRelayedAddress;
    }

    boolean live(long now) {
        return now - expiresAtNanos < 0;
    }

    boolean reserved(long now) {
        return now - (expiresAtNanos + AllocationState.CHANNEL_RESERVATION_NANOS) < 0;
    }
}
