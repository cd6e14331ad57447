package dev.tern.relay.allocation;

import dev.tern.spi.Transport;
import dev.tern.relay.quota.Bandwidth;
import dev.tern.relay.quota.TokenBucket;
import dev.tern.spi.RelayListener.Direction;
import dev.tern.spi.AllocationView;
import dev.tern.spi.LongTermKey;
import io.netty.channel.Channel;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One TURN allocation: the client's 5-tuple, its relay sockets (one, or one per family for a dual
 * allocation, RFC 8656 section 7.2), permissions, channel bindings, rate limit and byte counters.
 * Permissions and channels are per peer address whatever its family; data to a peer leaves through the
 * relay socket of the peer's family.
 *
 * <p>Confined to the event loop its client and relay channels live on: every method except
 * {@link #view()} must be called on that loop. {@link #view()} may be called from any thread and
 * gives a possibly slightly stale snapshot.
 */
public final class Allocation {

    /** Permissions last exactly 300 s (RFC 8656 section 9). */
    public static final long PERMISSION_NANOS = TimeUnit.SECONDS.toNanos(300);
    /** Channel bindings last 600 s (RFC 8656 section 12). */
    public static final long CHANNEL_NANOS = TimeUnit.SECONDS.toNanos(600);
    /** After a binding expires its pair stays reserved this long. */
    public static final long CHANNEL_RESERVATION_NANOS = TimeUnit.SECONDS.toNanos(300);

    private final String userId;
    private final String username;
    private final LongTermKey key;
    private final boolean sha256;
    private final InetSocketAddress client;
    private final Channel clientChannel;
    private Relay ipv4;
    private Relay ipv6;
    private volatile List<Relay> relays;
    private final Instant createdAt;
    private final Bandwidth bandwidth;
    private final int maxPermissions;
    private final Transport transport;
    private final Map<InetAddress, Long> permissions = new HashMap<>();
    private final IntObjectHashMap<ChannelBinding> channelsByNumber = new IntObjectHashMap<>(4);
    private final Map<InetSocketAddress, ChannelBinding> channelsByPeer = new HashMap<>();
    private volatile List<String> peersView = List.of();
    private volatile Instant expiresAt;
    private volatile long bytesToPeers;
    private volatile long bytesFromPeers;
    private long packetsToPeers;
    private long packetsFromPeers;
    private long reportedBytesToPeers;
    private long reportedBytesFromPeers;
    private long reportedPacketsToPeers;
    private long reportedPacketsFromPeers;
    private Traffic kernelTraffic = Traffic.NONE;
    private Traffic reportedKernelTraffic = Traffic.NONE;
    private long droppedPackets;
    private long droppedBytes;
    private long oversizedPackets;
    private ScheduledFuture<?> expiryTimer;
    private boolean closed;

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
        public Relay(Channel channel, InetSocketAddress relayed) {
            this(channel, relayed, false);
        }
    }

    /**
     * An allocation with one relay socket.
     *
     * @param bandwidth the rate limit each way
     * @param transport how the client reaches the relay (the rest of its 5-tuple is {@code client} and the
     *     listener or connection {@code clientChannel} belongs to)
     */
    public Allocation(String userId, String username, LongTermKey key, boolean sha256, InetSocketAddress client,
            Channel clientChannel, Channel relayChannel, InetSocketAddress relayed, Instant createdAt,
            Instant expiresAt, Bandwidth bandwidth, int maxPermissions, Transport transport) {
        this(userId, username, key, sha256, client, clientChannel, List.of(new Relay(relayChannel, relayed)), createdAt,
                expiresAt, bandwidth, maxPermissions, transport);
    }

    /**
     * An allocation with these relay sockets: one, or one IPv4 and one IPv6 (a dual allocation).
     *
     * @param bandwidth the rate limit each way
     * @throws IllegalArgumentException when {@code relays} is empty, or has two of one family or more than two
     */
    public Allocation(String userId, String username, LongTermKey key, boolean sha256, InetSocketAddress client,
            Channel clientChannel, List<Relay> relays, Instant createdAt, Instant expiresAt, Bandwidth bandwidth,
            int maxPermissions, Transport transport) {
        Relay v4 = null;
        Relay v6 = null;
        for (Relay r : relays) {
            boolean isIpv4 = r.relayed().getAddress() instanceof Inet4Address;
            if (isIpv4 ? v4 != null : v6 != null) {
                throw new IllegalArgumentException("two relay sockets of one family: " + relays);
            }
            if (isIpv4) {
                v4 = r;
            } else {
                v6 = r;
            }
        }
        if (v4 == null && v6 == null) {
            throw new IllegalArgumentException("no relay socket");
        }
        this.ipv4 = v4;
        this.ipv6 = v6;
        this.relays = v4 == null ? List.of(v6) : v6 == null ? List.of(v4) : List.of(v4, v6);
        this.userId = userId;
        this.username = username;
        this.key = key;
        this.sha256 = sha256;
        this.client = client;
        this.clientChannel = clientChannel;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
        this.bandwidth = java.util.Objects.requireNonNull(bandwidth, "bandwidth");
        this.maxPermissions = maxPermissions;
        this.transport = transport;
    }

    /** How the client reaches the relay: UDP, TCP or TLS. */
    public Transport transport() {
        return transport;
    }

    public String userId() {
        return userId;
    }

    public String username() {
        return username;
    }

    /** The key the allocation was created with; every later request must match it (else 441). */
    public LongTermKey key() {
        return key;
    }

    /** Whether the allocation's requests use the SHA-256 key. */
    public boolean sha256() {
        return sha256;
    }

    public InetSocketAddress client() {
        return client;
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
        if (ipv6Family) {
            ipv6 = null;
            relays = List.of(ipv4);
        } else {
            ipv4 = null;
            relays = List.of(ipv6);
        }
        permissions.keySet().removeIf(peer -> !relaysFamilyOf(peer));
        channelsByPeer.keySet().removeIf(peer -> !relaysFamilyOf(peer.getAddress()));
        channelsByNumber.values().removeIf(b -> !relaysFamilyOf(b.peer.getAddress()));
        refreshPeersView(now);
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
        return closed;
    }

    /** Marks the allocation closed; returns false when it already was. */
    public boolean markClosed() {
        if (closed) {
            return false;
        }
        closed = true;
        if (expiryTimer != null) {
            expiryTimer.cancel(false);
        }
        return true;
    }

    /** Replaces the expiry timer, cancelling the old one. */
    public void expiry(Instant at, ScheduledFuture<?> timer) {
        if (expiryTimer != null) {
            expiryTimer.cancel(false);
        }
        expiresAt = at;
        expiryTimer = timer;
    }

    /** Whether {@code peer} has a live permission. */
    public boolean permitted(InetAddress peer, long now) {
        Long until = permissions.get(peer);
        return until != null && now - until < 0;
    }

    /**
     * Installs or refreshes permissions for all of {@code peers}, or none of them when that would
     * exceed the limit (expired ones are purged first).
     *
     * @return whether the permissions were installed
     */
    public boolean permit(List<InetAddress> peers, long now) {
        int added = 0;
        for (InetAddress p : peers) {
            if (!permitted(p, now)) {
                added++;
            }
        }
        if (added > 0 && permissions.size() + added > maxPermissions) {
            permissions.values().removeIf(until -> now - until >= 0);
            if (permissions.size() + added > maxPermissions) {
                return false;
            }
        }
        for (InetAddress p : peers) {
            permissions.put(p, now + PERMISSION_NANOS);
        }
        refreshPeersView(now);
        return true;
    }

    private void refreshPeersView(long now) {
        List<String> peers = new ArrayList<>(permissions.size());
        for (Map.Entry<InetAddress, Long> e : permissions.entrySet()) {
            if (now - e.getValue() < 0) {
                peers.add(e.getKey().getHostAddress());
            }
        }
        peersView = List.copyOf(peers);
    }

    /** The outcome of a ChannelBind. */
    public enum BindResult { BOUND, REFRESHED, CONFLICT, NO_PERMISSION_ROOM }

    /**
     * Binds or refreshes {@code number} to {@code peer} and refreshes the peer's permission. A number
     * bound (or reserved) for another peer, or a peer bound (or reserved) to another number, is a conflict.
     *
     * @param toRelayedAddress whether {@code peer} is the relayed address of a live allocation of this relay (see
     *     {@link ChannelBinding#toRelayedAddress()})
     */
    public BindResult bind(int number, InetSocketAddress peer, boolean toRelayedAddress, long now) {
        ChannelBinding byNumber = channelsByNumber.get(number);
        ChannelBinding byPeer = channelsByPeer.get(peer);
        if (byNumber != null && !byNumber.reserved(now)) {
            channelsByNumber.remove(number);
            channelsByPeer.remove(byNumber.peer, byNumber);
            byNumber = null;
        }
        if (byPeer != null && !byPeer.reserved(now)) {
            channelsByPeer.remove(peer);
            channelsByNumber.remove(byPeer.number, byPeer);
            byPeer = null;
        }
        if (byNumber != byPeer) {
            return BindResult.CONFLICT;
        }
        if (!permit(List.of(peer.getAddress()), now)) {
            return BindResult.NO_PERMISSION_ROOM;
        }
        if (byNumber != null) {
            byNumber.expiresAtNanos = now + CHANNEL_NANOS;
            return BindResult.REFRESHED;
        }
        purgeStaleChannels(now);
        ChannelBinding binding = new ChannelBinding(number, peer, toRelayedAddress, now + CHANNEL_NANOS);
        channelsByNumber.put(number, binding);
        channelsByPeer.put(peer, binding);
        return BindResult.BOUND;
    }

    private void purgeStaleChannels(long now) {
        Iterator<ChannelBinding> it = channelsByNumber.values().iterator();
        while (it.hasNext()) {
            ChannelBinding b = it.next();
            if (!b.reserved(now)) {
                it.remove();
                channelsByPeer.remove(b.peer, b);
            }
        }
    }

    /** The live binding of channel {@code number}, or {@code null}. */
    public ChannelBinding boundChannel(int number, long now) {
        ChannelBinding b = channelsByNumber.get(number);
        return b != null && b.live(now) ? b : null;
    }

    /** The live channel bound to {@code peer}, or -1. */
    public int channelFor(InetSocketAddress peer, long now) {
        ChannelBinding b = channelsByPeer.get(peer);
        return b != null && b.live(now) ? b.number : -1;
    }

    /**
     * The channels that relay right now and that a data plane may forward outside the event loop: all but those
     * to another allocation's relayed address ({@link ChannelBinding#toRelayedAddress()}), whose data only the
     * event loop hands from one allocation to another. Allocates; call on state changes and polls, never per packet.
     */
    public List<LiveChannel> liveChannels(long now) {
        List<LiveChannel> out = new ArrayList<>(channelsByNumber.size());
        for (ChannelBinding b : channelsByNumber.values()) {
            if (b.toRelayedAddress) {
                continue;
            }
            Long permitted = permissions.get(b.peer.getAddress());
            if (b.live(now) && permitted != null && now - permitted < 0) {
                long until = permitted - b.expiresAtNanos < 0 ? permitted : b.expiresAtNanos;
                out.add(new LiveChannel(b.number, b.peer, until));
            }
        }
        return out;
    }

    /** Counts traffic the kernel plane relayed for this allocation (in addition to what user space counted). */
    public void countKernel(Traffic delta) {
        packetsToPeers += delta.packetsToPeers();
        bytesToPeers += delta.bytesToPeers();
        packetsFromPeers += delta.packetsFromPeers();
        bytesFromPeers += delta.bytesFromPeers();
        kernelTraffic = kernelTraffic.plus(delta);
    }

    /** The part of the traffic since the last call that the kernel plane relayed. */
    public Traffic drainKernelTraffic() {
        Traffic delta = kernelTraffic.minus(reportedKernelTraffic);
        reportedKernelTraffic = kernelTraffic;
        return delta;
    }

    /**
     * Charges bytes the kernel plane already relayed one way to that direction's rate limit.
     *
     * @return false when they were more than it allowed: the allocation is over its rate that way
     */
    public boolean chargeKernel(Direction direction, long bytes) {
        TokenBucket bucket = bucket(direction);
        return bucket == null || bucket.charge(bytes);
    }

    /**
     * Whether one direction's rate limit, if any, has refilled to half its burst since the allocation went over
     * it.
     */
    public boolean rateRecovered(Direction direction) {
        TokenBucket bucket = bucket(direction);
        return bucket == null || bucket.recovered();
    }

    private TokenBucket bucket(Direction direction) {
        return direction == Direction.TO_PEER ? bandwidth.toPeers() : bandwidth.fromPeers();
    }

    /**
     * Charges {@code bytes} from the client to a peer to that direction's rate limit; false (and counted as
     * dropped) when over it.
     */
    public boolean admitToPeer(int bytes) {
        return admit(bandwidth.toPeers(), bytes);
    }

    /**
     * Charges {@code bytes} from a peer to the client to that direction's rate limit; false (and counted as
     * dropped) when over it. Each direction has a budget of its own: one never starves the other.
     */
    public boolean admitFromPeer(int bytes) {
        return admit(bandwidth.fromPeers(), bytes);
    }

    private boolean admit(TokenBucket bucket, int bytes) {
        if (bucket == null || bucket.tryConsume(bytes)) {
            return true;
        }
        droppedPackets++;
        droppedBytes += bytes;
        return false;
    }

    /** Counts one datagram from a peer dropped for being longer than the relay relays. */
    public void dropOversized() {
        oversizedPackets++;
    }

    /** Counts one packet relayed to a peer. */
    public void countToPeer(int bytes) {
        packetsToPeers++;
        bytesToPeers += bytes;
    }

    /** Counts one packet relayed from a peer. */
    public void countFromPeer(int bytes) {
        packetsFromPeers++;
        bytesFromPeers += bytes;
    }

    /**
     * Traffic since the last call: {packetsTo, bytesTo, packetsFrom, bytesFrom, droppedPackets, droppedBytes,
     * oversizedPackets} (dropped: over the rate limit; oversized: from peers, longer than the relay relays).
     */
    public long[] drainCounters() {
        long[] delta = {packetsToPeers - reportedPacketsToPeers, bytesToPeers - reportedBytesToPeers,
            packetsFromPeers - reportedPacketsFromPeers, bytesFromPeers - reportedBytesFromPeers, droppedPackets,
            droppedBytes, oversizedPackets};
        oversizedPackets = 0;
        reportedPacketsToPeers = packetsToPeers;
        reportedBytesToPeers = bytesToPeers;
        reportedPacketsFromPeers = packetsFromPeers;
        reportedBytesFromPeers = bytesFromPeers;
        droppedPackets = 0;
        droppedBytes = 0;
        return delta;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    /** A read-only snapshot; safe from any thread. */
    public AllocationView view() {
        List<InetSocketAddress> relayedAddresses = new ArrayList<>(relays.size());
        for (Relay r : relays) {
            relayedAddresses.add(r.relayed());
        }
        return new AllocationView(userId, username, transport, client, relayed(), peersView, createdAt, expiresAt,
                bytesToPeers, bytesFromPeers, relayedAddresses);
    }
}
