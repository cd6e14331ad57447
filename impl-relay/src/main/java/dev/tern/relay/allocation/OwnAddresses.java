package dev.tern.relay.allocation;

import dev.tern.relay.peer.ListenerAddresses;
import dev.tern.relay.peer.OwnHosts;
import dev.tern.relay.peer.PeerAddressFilter;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The relay's own addresses as peers (#16 point 12): the relay never sends a datagram to its own listening or
 * relayed transport addresses, whatever {@code allowed_peers} says. For a peer at one of the relay's own IP
 * addresses ({@link OwnHosts}):
 * <ul>
 *   <li>the relayed address of a live allocation is accepted, and data for it is handed to that allocation's relay
 *       socket inside the relay ({@link #at}), never sent. The peer filter has no say: it guards the networks the
 *       relay sends to, and nothing is sent. So two relay-only clients of one relay (a forced-relay call) talk
 *       whatever the deny lists hold;</li>
 *   <li>a UDP listening address is refused, so no allocation can be nested in another;</li>
 *   <li>any other port is another service of the host, not the relay: the peer filter decides, as for any peer
 *       (the relay's own addresses are on its default deny list, so only an {@code allowed_peers} entry admits
 *       one, say for a media server on the same host).</li>
 * </ul>
 *
 * <p>A relay has at most one relay address per family, so a relayed address is known by its family and port:
 * one slot per port and family, written once an allocation's relay sockets are set up and cleared when they
 * close. {@link #at} is a single volatile array read, allocation-free, whatever the number of allocations.
 *
 * <p>Thread-safe: allocations of every event loop register here, and any loop reads.
 */
public final class OwnAddresses implements dev.tern.relay.core.request.PeerCheck {

    private static final int PORTS = 65536;

    private final OwnHosts hosts;
    private final ListenerAddresses listeners;
    private final PeerAddressFilter filter;
    private final AtomicReferenceArray<Allocation.Relay> ipv4 = new AtomicReferenceArray<>(PORTS);
    private final AtomicReferenceArray<Allocation.Relay> ipv6 = new AtomicReferenceArray<>(PORTS);

    /**
     * @param hosts the relay's own IP addresses
     * @param listeners its UDP listening transport addresses
     * @param filter the peer filter, for the ports of its own addresses that are neither relayed nor listening
     */
    public OwnAddresses(OwnHosts hosts, ListenerAddresses listeners, PeerAddressFilter filter) {
        this.hosts = hosts;
        this.listeners = listeners;
        this.filter = filter;
    }

    /** Whether {@code address} is one of the relay's own IP addresses (any IPv4-in-IPv6 form unwrapped). */
    public boolean ownHost(InetAddress address) {
        return hosts.contains(address);
    }

    /** Whether {@code peer} is the relayed transport address of a live allocation of this relay. */
    @Override
    public boolean relayedAddress(InetSocketAddress peer) {
        return hosts.contains(peer.getAddress()) && at(peer) != null;
    }

    /**
     * Whether a client may name {@code peer} in CreatePermission or ChannelBind: a live relayed address of the
     * relay, or else not one of its listeners and permitted by the peer filter.
     */
    @Override
    public boolean accepts(InetSocketAddress peer) {
        return relayedAddress(peer) || !listeners.contains(peer) && filter.permits(peer.getAddress());
    }

    /**
     * For a peer at one of the relay's own addresses that is no live relayed address ({@link #at} gave
     * {@code null}): whether data for it may be sent all the same, as {@link #accepts} would decide. A permission
     * is per IP address, so this is asked of every such datagram.
     */
    public boolean sendable(InetSocketAddress peer) {
        return !listeners.contains(peer) && filter.permits(peer.getAddress());
    }

    /**
     * The live relay socket whose relayed transport address {@code peer} is, or {@code null}. Only meaningful for
     * a peer at one of the relay's own addresses ({@link #ownHost}): the port alone is looked up, in the table of
     * {@code peer}'s family as given (an IPv4-mapped IPv6 peer is looked up among IPv6 relay sockets).
     */
    public Allocation.Relay at(InetSocketAddress peer) {
        return table(peer.getAddress()).get(peer.getPort());
    }

    /** Records the relay sockets of a new allocation; call once its peer handlers are installed. */
    public void add(Allocation allocation) {
        for (Allocation.Relay r : allocation.relays()) {
            table(r.relayed().getAddress()).set(r.relayed().getPort(), r);
        }
    }

    /** Forgets one relay socket (it is closing); a slot another socket took meanwhile is left alone. */
    public void remove(Allocation.Relay relay) {
        table(relay.relayed().getAddress()).compareAndSet(relay.relayed().getPort(), relay, null);
    }

    /** Forgets every relay socket of an allocation that ends. */
    public void removeAll(Allocation allocation) {
        for (Allocation.Relay r : allocation.relays()) {
            remove(r);
        }
    }

    private AtomicReferenceArray<Allocation.Relay> table(InetAddress address) {
        return address instanceof Inet4Address ? ipv4 : ipv6;
    }
}
