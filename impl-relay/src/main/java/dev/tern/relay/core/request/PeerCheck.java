package dev.tern.relay.core.request;

import java.net.InetSocketAddress;

/**
 * Which peers the relay relays to (CreatePermission, ChannelBind): implemented by the relay's own-address and peer
 * filter ({@code dev.tern.relay.allocation.OwnAddresses}). Implementations are thread-safe.
 */
public interface PeerCheck {

    /** Whether {@code peer} may be a peer at all (else 403). */
    boolean accepts(InetSocketAddress peer);

    /** Whether {@code peer} is the relayed address of a live allocation of this relay. */
    boolean relayedAddress(InetSocketAddress peer);
}
