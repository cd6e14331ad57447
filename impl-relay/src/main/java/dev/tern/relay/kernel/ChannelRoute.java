package dev.tern.relay.kernel;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Which packets the kernel forwards: one channel bound between a UDP client and a UDP peer.
 *
 * <p>Client to peer: a ChannelData message for {@code channel} that {@code client} sends to {@code listener}
 * leaves as a bare UDP datagram from {@code relayed} to {@code peer}. Peer to client: a datagram {@code peer}
 * sends to {@code relayed} leaves as ChannelData from {@code listener} to {@code client}.
 *
 * <p>Immutable value. Every address must be resolved and specific: the listener and relayed addresses are the
 * ones packets carry, never the wildcard a socket may be bound to. {@code client} and {@code listener} share a
 * family, as do {@code relayed} and {@code peer}; anything else is refused with {@link IllegalArgumentException}
 * naming the field.
 *
 * @param client the client's transport address, as the relay sees it
 * @param listener the relay's listening address the client sends to
 * @param relayed the allocation's relayed address (the peer's family)
 * @param peer the peer bound to the channel
 * @param channel the channel number, 0x4000-0x4FFF (up to 0x7FFF accepted, as coturn does)
 * @param dontFragment whether datagrams to the peer carry DF (IPv4), as the relay socket sets it: the client's
 *     DONT-FRAGMENT (RFC 8656 section 14); without it DF is cleared, whatever the client's packet carried
 */
public record ChannelRoute(InetSocketAddress client, InetSocketAddress listener, InetSocketAddress relayed,
                           InetSocketAddress peer, int channel, boolean dontFragment) {

    /** Lowest channel number (RFC 8656). */
    public static final int MIN_CHANNEL = 0x4000;
    /** Highest channel number accepted: RFC 8656 stops at 0x4FFF, coturn accepts up to 0x7FFF. */
    public static final int MAX_CHANNEL = 0x7FFF;

    public ChannelRoute {
        requireResolved(client, "client");
        requireResolved(listener, "listener");
        requireResolved(relayed, "relayed");
        requireResolved(peer, "peer");
        if (isIpv4(client) != isIpv4(listener)) {
            throw new IllegalArgumentException("client " + client + " and listener " + listener
                    + " must be of one address family");
        }
        if (isIpv4(relayed) != isIpv4(peer)) {
            throw new IllegalArgumentException("relayed " + relayed + " and peer " + peer
                    + " must be of one address family");
        }
        if (channel < MIN_CHANNEL || channel > MAX_CHANNEL) {
            throw new IllegalArgumentException("channel 0x" + Integer.toHexString(channel)
                    + " is outside 0x4000-0x7FFF");
        }
    }

    /** A route whose datagrams to the peer never carry DF (the client did not send DONT-FRAGMENT). */
    public static ChannelRoute of(InetSocketAddress client, InetSocketAddress listener, InetSocketAddress relayed,
                        InetSocketAddress peer, int channel) {
        return new ChannelRoute(client, listener, relayed, peer, channel, false);
    }

    private static void requireResolved(InetSocketAddress address, String field) {
        Objects.requireNonNull(address, field);
        if (address.isUnresolved()) {
            throw new IllegalArgumentException(field + " " + address + " is unresolved");
        }
        if (address.getAddress().isAnyLocalAddress() || address.getPort() == 0) {
            throw new IllegalArgumentException(field + " " + address
                    + " is a wildcard: give the address and port the packets carry");
        }
    }

    static boolean isIpv4(InetSocketAddress address) {
        return address.getAddress() instanceof Inet4Address;
    }
}
