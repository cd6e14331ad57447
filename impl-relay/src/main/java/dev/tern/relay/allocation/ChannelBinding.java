package dev.tern.relay.allocation;

import java.net.InetSocketAddress;

/**
 * One channel number bound to one peer transport address in an allocation. After the binding
 * expires the pair stays reserved for five more minutes (RFC 8656 section 12): neither the number nor
 * the peer may be bound to anything else until then.
 *
 * <p>Not thread-safe: owned by the allocation's event loop.
 */
final class ChannelBinding {

    final int number;
    final InetSocketAddress peer;
    long expiresAtNanos;

    ChannelBinding(int number, InetSocketAddress peer, long expiresAtNanos) {
        this.number = number;
        this.peer = peer;
        this.expiresAtNanos = expiresAtNanos;
    }

    boolean live(long now) {
        return now - expiresAtNanos < 0;
    }

    boolean reserved(long now) {
        return now - (expiresAtNanos + Allocation.CHANNEL_RESERVATION_NANOS) < 0;
    }
}
