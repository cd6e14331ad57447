package dev.tern.relay.peer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Collection;

/**
 * The relay's own UDP listening transport addresses, which no allocation may relay to, whatever
 * {@code allowed_peers} says: a datagram from a relay socket to a listener is a request from the relay
 * itself, so a client could make an allocation inside its own allocation, and another inside that, each
 * hop costing the relay a further allocation's work for one client's traffic (#16 point 12).
 *
 * <p>A peer is a listener when its port is one a UDP listener is bound on and its address is one of the
 * relay's {@link OwnHosts}. (Relayed transport addresses are never sent to either: data for one is handed to
 * its allocation inside the relay, see {@code dev.tern.relay.allocation.OwnAddresses}.)
 *
 * <p>Thread-safe: listening ports are added as listeners bind (a listener on port 0 learns its port only
 * then) and {@link #contains} reads a snapshot without locking.
 */
public final class ListenerAddresses {

    private final OwnHosts hosts;
    private volatile int[] ports = new int[0];

    /**
     * @param relayOwnAddresses the relay's addresses (listen hosts, relay and advertised addresses); a
     *     wildcard stands for every local interface address and every loopback address
     */
    public ListenerAddresses(Collection<InetAddress> relayOwnAddresses) {
        this.hosts = new OwnHosts(relayOwnAddresses);
    }

    /** Records that a UDP listener is bound on {@code port}; idempotent. */
    public synchronized void listening(int port) {
        int[] now = ports;
        for (int p : now) {
            if (p == port) {
                return;
            }
        }
        int[] more = Arrays.copyOf(now, now.length + 1);
        more[now.length] = port;
        ports = more;
    }

    /** Whether {@code peer} is one of the relay's own UDP listening transport addresses. Null-hostile. */
    public boolean contains(InetSocketAddress peer) {
        int port = peer.getPort();
        boolean listened = false;
        for (int p : ports) {
            listened |= p == port;
        }
        if (!listened) {
            return false;
        }
        return hosts.contains(peer.getAddress());
    }
}
