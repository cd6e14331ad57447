package dev.tern.relay.allocation;

import dev.tern.spi.Transport;
import dev.tern.relay.core.allocation.AllocationState;
import dev.tern.relay.core.allocation.ChannelBinding;
import dev.tern.relay.core.allocation.LiveChannel;
import dev.tern.relay.core.allocation.Traffic;
import dev.tern.relay.core.allocation.TrafficReport;
import dev.tern.spi.AllocationView;
import dev.tern.spi.LongTermKey;
import dev.tern.spi.RelayListener.Direction;
import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One TURN allocation as the Netty planes carry it out: its {@link AllocationState} (the socket-free core:
 * permissions, channel bindings, lifetime, rate limit, counters) with the sockets that serve it, the client's
 * channel and its relay sockets (one, or one per family for a dual allocation, RFC 8656 section 7.2), and the
 * expiry timer on the event loop. Data to a peer leaves through the relay socket of the peer's family. The
 * per-packet methods delegate to the state, which the JIT inlines: the forwarding path reads as before.
 *
 * <p>Confined to the event loop its client and relay channels live on: every method except {@link #view()} must
 * be called on that loop. {@link #view()} may be called from any thread and gives a possibly slightly stale
 * snapshot.
 */
public final class Allocation {

    /** Permissions last exactly 300 s (RFC 8656 section 9). */
    public static final long PERMISSION_NANOS = AllocationState.PERMISSION_NANOS;
    /** Channel bindings last 600 s (RFC 8656 section 12). */
    public static final long CHANNEL_NANOS = AllocationState.CHANNEL_NANOS;

    private final AllocationState state;
    private final Channel clientChannel;
    private Relay ipv4;
    private Relay ipv6;
    private volatile List<Relay> relays;
    private ScheduledFuture<?> expiryTimer;

    /**
     * One relay socket of the allocation.
     *
     * @param channel the socket peers talk to
     * @param relayed its relayed transport address as advertised to the client
     * @param dontFragment whether the socket sets DF on what it sends (the client's DONT-FRAGMENT, RFC 8656
     *     section 14, and the kernel accepted it); the kernel plane forwards with the same DF
     */
    public record Relay(Channel channel, InetSocketAddress relayed, boolean dontFragment) {

        /** A relay socket that never sets DF. */
        public static Relay of(Channel channel, InetSocketAddress relayed) {
            return new Relay(channel, relayed, false);
        }
    }

    /**
     * The sockets that carry out {@code state}.
     *
     * @param relays its relay sockets, one per relayed address of the state
     * @throws IllegalArgumentException when {@code relays} do not match the state's relayed addresses
     */
    public Allocation(AllocationState state, Channel clientChannel, List<Relay> relays) {
        if (!state.relayed().equals(relayedOf(ipv4First(relays)))) {
            throw new IllegalArgumentException("relay sockets " + relays + " for relayed addresses " + state.relayed());
        }
        this.state = state;
        this.clientChannel = clientChannel;
        this.relays = ipv4First(relays);
        for (Relay r : this.relays) {
            if (r.relayed().getAddress() instanceof Inet4Address) {
                ipv4 = r;
            } else {
                ipv6 = r;
            }
        }
    }

    private static List<InetSocketAddress> relayedOf(List<Relay> relays) {
        List<InetSocketAddress> out = new ArrayList<>(relays.size());
        for (Relay r : relays) {
            out.add(r.relayed());
        }
        return out;
    }

    private static List<Relay> ipv4First(List<Relay> relays) {
        if (relays.size() == 2 && !(relays.get(0).relayed().getAddress() instanceof Inet4Address)) {
            return List.of(relays.get(1), relays.get(0));
        }
        return List.copyOf(relays);
    }

    /** The socket-free state of the allocation, which the TURN core decides on. */
    public AllocationState state() {
        return state;
    }

    /** How the client reaches the relay: UDP, TCP or TLS. */
    public Transport transport() {
        return state.transport();
    }

    public String userId() {
        return state.owner().userId();
    }

    public String username() {
        return state.owner().username();
    }

    /** The key the allocation was created with; every later request must match it (else 441). */
    public LongTermKey key() {
        return state.owner().key();
    }

    /** Whether the allocation's requests use the SHA-256 key. */
    public boolean sha256() {
        return state.owner().sha256();
    }

    public InetSocketAddress client() {
        return state.client();
    }

    /** The channel that talks to the client: the UDP listening socket, or the client's TCP/TLS connection. */
    public Channel clientChannel() {
        return clientChannel;
    }

    /**
     * The relay socket data to {@code peer} leaves through: the one of the peer's family, or {@code null}
     * when the allocation has none of that family.
     */
    public Channel relayChannel(InetSocketAddress peer) {
        Relay r = peer.getAddress() instanceof Inet4Address ? ipv4 : ipv6;
        return r == null ? null : r.channel();
    }

    /** Whether the allocation has a relay socket of {@code peer}'s family (else 443 Peer Address Family Mismatch). */
    public boolean relaysFamilyOf(InetAddress peer) {
        return (peer instanceof Inet4Address ? ipv4 : ipv6) != null;
    }

    /**
     * The relay socket of one family ({@code ipv6} true: IPv6, else IPv4), or {@code null} when the
     * allocation has none of that family.
     */
    public Relay relayOfFamily(boolean ipv6Family) {
        return ipv6Family ? ipv6 : ipv4;
    }

    /**
     * Removes the relay socket of one family from a dual allocation (Refresh with LIFETIME 0 and
     * REQUESTED-ADDRESS-FAMILY, RFC 8656 section 7.3), with the permissions and channel bindings of the
     * peers of that family, which can no longer be reached. Does not close the socket.
     *
     * @return the removed relay, or {@code null} (nothing changed) when the allocation has no relay of that
     *     family or it is its only one
     */
    public Relay removeFamily(boolean ipv6Family, long now) {
        Relay removed = ipv6Family ? ipv6 : ipv4;
        if (removed == null || relays.size() < 2) {
            return null;
        }
        state.removeFamily(ipv6Family, now); // nothing left to do when the TURN core already removed it
        if (state.relayedOfFamily(ipv6Family).isPresent()) {
            return null;
        }
        if (ipv6Family) {
            ipv6 = null;
            relays = List.of(ipv4);
        } else {
            ipv4 = null;
            relays = List.of(ipv6);
        }
        return removed;
    }

    /** The relay sockets, IPv4 first. */
    public List<Relay> relays() {
        return relays;
    }

    /** The (first) relayed address advertised to the client: the IPv4 one of a dual allocation. */
    public InetSocketAddress relayed() {
        return relays.get(0).relayed();
    }

    public boolean closed() {
        return state.closed();
    }

    /** Marks the allocation closed; returns false when it already was. */
    public boolean markClosed() {
        if (!state.markClosed()) {
            return false;
        }
        if (expiryTimer != null) {
            expiryTimer.cancel(false);
        }
        return true;
    }

    /**
     * Sets the lifetime left and replaces the expiry timer that closes the allocation then, cancelling the old one.
     *
     * @param now monotonic now, nanoseconds
     * @param wallNow wall-clock now
     */
    public void expiry(long seconds, long now, Instant wallNow, ScheduledFuture<?> timer) {
        if (expiryTimer != null) {
            expiryTimer.cancel(false);
        }
        state.expireIn(seconds, now, wallNow);
        expiryTimer = timer;
    }

    /** Whether {@code peer} has a live permission. */
    public boolean permitted(InetAddress peer, long now) {
        return state.permitted(peer, now);
    }

    /** See {@link AllocationState#permit}. */
    public boolean permit(List<InetAddress> peers, long now) {
        return state.permit(peers, now);
    }

    /** See {@link AllocationState#bind}. */
    public AllocationState.BindResult bind(int number, InetSocketAddress peer, boolean toRelayedAddress, long now) {
        return state.bind(number, peer, toRelayedAddress, now);
    }

    /** The live binding of channel {@code number}, or {@code null}. */
    public ChannelBinding boundChannel(int number, long now) {
        return state.boundChannel(number, now);
    }

    /** The live channel bound to {@code peer}, or -1. */
    public int channelFor(InetSocketAddress peer, long now) {
        return state.channelFor(peer, now);
    }

    /** See {@link AllocationState#liveChannels}. */
    public List<LiveChannel> liveChannels(long now) {
        return state.liveChannels(now);
    }

    /** Counts traffic the kernel plane relayed for this allocation (in addition to what user space counted). */
    public void countKernel(Traffic delta) {
        state.countKernel(delta);
    }

    /** See {@link AllocationState#chargeKernel}. */
    public boolean chargeKernel(Direction direction, long bytes) {
        return state.chargeKernel(direction, bytes);
    }

    /** See {@link AllocationState#rateRecovered}. */
    public boolean rateRecovered(Direction direction) {
        return state.rateRecovered(direction);
    }

    /** See {@link AllocationState#admitToPeer}. */
    public boolean admitToPeer(int bytes) {
        return state.admitToPeer(bytes);
    }

    /** See {@link AllocationState#admitFromPeer}. */
    public boolean admitFromPeer(int bytes) {
        return state.admitFromPeer(bytes);
    }

    /** Counts one datagram from a peer dropped for being longer than the relay relays. */
    public void dropOversized() {
        state.dropOversized();
    }

    /** Counts one packet relayed to a peer. */
    public void countToPeer(int bytes) {
        state.countToPeer(bytes);
    }

    /** Counts one packet relayed from a peer. */
    public void countFromPeer(int bytes) {
        state.countFromPeer(bytes);
    }

    /** Traffic since the last call, and the part of it the kernel plane carried. */
    public TrafficReport drainCounters() {
        return state.drainCounters();
    }

    public Instant expiresAt() {
        return state.expiresAt();
    }

    /** A read-only snapshot; safe from any thread. */
    public AllocationView view() {
        return state.view();
    }
}
