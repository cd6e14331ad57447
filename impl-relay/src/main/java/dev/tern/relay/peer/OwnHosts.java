package dev.tern.relay.peer;

import java.net.InetAddress;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * The relay's own IP addresses: its listen hosts, relay bind and advertised addresses, every local interface
 * address when one of those is a wildcard, and then every loopback address too (a socket bound to
 * {@code 0.0.0.0} also receives what is sent to {@code 127.0.0.2}). A peer at one of them is the relay itself.
 *
 * <p>Immutable and thread-safe. {@link #contains} allocates nothing for an IPv4 address or a plain IPv6 one.
 */
public final class OwnHosts {

    private final Set<InetAddress> hosts;
    private final boolean anyLoopback;

    /**
     * @param relayOwnAddresses the relay's addresses (listen hosts, relay and advertised addresses); a
     *     wildcard stands for every local interface address and every loopback address
     */
    public OwnHosts(Collection<InetAddress> relayOwnAddresses) {
        this.hosts = Set.copyOf(new HashSet<>(PeerAddressFilter.ownAddresses(relayOwnAddresses)));
        this.anyLoopback = relayOwnAddresses.stream().anyMatch(InetAddress::isAnyLocalAddress);
    }

    /** Whether {@code address}, after any IPv4-in-IPv6 form is unwrapped, is one of the relay's own. Null-hostile. */
    public boolean contains(InetAddress address) {
        InetAddress host = PeerAddressFilter.unwrap(address);
        return hosts.contains(host) || anyLoopback && host.isLoopbackAddress();
    }
}
