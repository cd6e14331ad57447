package dev.tern.relay.core.allocation;

import dev.tern.spi.Transport;
import dev.tern.relay.quota.Bandwidth;
import dev.tern.relay.quota.TokenBucket;
import dev.tern.spi.AllocationView;
import dev.tern.spi.LongTermKey;
import dev.tern.spi.RelayListener.Direction;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * What a TURN allocation is, without any socket (the model is Pion's {@code allocation} package): who made it and
 * with which key, its 5-tuple's client side, its relayed addresses, lifetime, permissions, channel bindings, rate
 * limit and traffic counters. Time is given to every method that needs it as a monotonic {@code now} in nanoseconds
 * (the relay's injected clock), so a test drives it by hand. The sockets that carry it out live in the data plane
 * ({@code dev.tern.relay.allocation.Allocation}).
 *
 * <p>Confined to the event loop of its client: every method except {@link #view()} must be called there.
 * {@link #view()} may be called from any thread and gives a possibly slightly stale snapshot. Memory is bounded:
 * permissions by {@code maxPermissions}, channel bindings by the 4096 channel numbers.
 */
public final class AllocationState {

    /** Permissions last exactly 300 s (RFC 8656 section 9). */
    public static final long PERMISSION_NANOS = TimeUnit.SECONDS.toNanos(300);
    /** Channel bindings last 600 s (RFC 8656 section 12). */
    public static final long CHANNEL_NANOS = TimeUnit.SECONDS.toNanos(600);
    /** After a binding expires its pair stays reserved this long. */
    public static final long CHANNEL_RESERVATION_NANOS = TimeUnit.SECONDS.toNanos(300);

    private final Owner owner;
    private final InetSocketAddress client;
    private final Transport transport;
    private volatile List<InetSocketAddress> relayed;
    private final Instant createdAt;
    private final Bandwidth bandwidth;
    private final int maxPermissions;
    private final Map<InetAddress, Long> permissions = new HashMap<>();
    private final ChannelsByNumber channelsByNumber = new ChannelsByNumber();
    private final Map<InetSocketAddress, ChannelBinding> channelsByPeer = new HashMap<>();
    private volatile List<String> peersView = List.of();
    private volatile Instant expiresAt;
    private long expiresAtNanos;
    private volatile long bytesToPeers;
    private volatile long bytesFromPeers;
    private long packetsToPeers;
    private long packetsFromPeers;
    private Traffic reported = Traffic.NONE;
    private Traffic kernelTraffic = Traffic.NONE;
    private Traffic reportedKernelTraffic = Traffic.NONE;
    private long droppedPackets;
    private long droppedBytes;
    private long oversizedPackets;
    private boolean closed;

    /**
     * Who made an allocation, and with which key: every later request on it must come with the same (else 441).
     *
     * @param userId the user the credentials name
     * @param username the USERNAME the allocation was made with
     * @param key the long-term key that checked its integrity
     * @param sha256 whether its requests use the SHA-256 key
     */
    public record Owner(String userId, String username, LongTermKey key, boolean sha256) {

        public Owner {
            Objects.requireNonNull(userId, "userId");
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(key, "key");
        }
    }

    /**
     * Where an allocation's traffic comes from and leaves: its 5-tuple's client side and its relayed addresses.
     *
     * @param client the client's transport address (with the listener or connection, its 5-tuple)
     * @param transport how the client reaches the relay
     * @param relayed the relayed transport addresses: one, or one IPv4 and one IPv6 (a dual allocation)
     */
    public record Endpoints(InetSocketAddress client, Transport transport, List<InetSocketAddress> relayed) {
    }

    /**
     * What an allocation may use.
     *
     * @param bandwidth the rate limit each way
     * @param maxPermissions the most peer permissions at once
     */
    public record Limits(Bandwidth bandwidth, int maxPermissions) {

        public Limits {
            Objects.requireNonNull(bandwidth, "bandwidth");
        }
    }

    /**
     * @param createdAt when it was created, wall clock
     * @throws IllegalArgumentException when the relayed addresses are none, or two of one family, or more than two
     */
    public AllocationState(Owner owner, Endpoints endpoints, Instant createdAt, Limits limits) {
        this.owner = Objects.requireNonNull(owner, "owner");
        this.client = endpoints.client();
        this.transport = endpoints.transport();
        this.relayed = ipv4First(endpoints.relayed());
        this.createdAt = createdAt;
        this.expiresAt = createdAt;
        // Copied out of the limits: the per-packet rate checks read these fields as before.
        this.bandwidth = limits.bandwidth();
        this.maxPermissions = limits.maxPermissions();
    }

    private static List<InetSocketAddress> ipv4First(List<InetSocketAddress> relayed) {
        InetSocketAddress v4 = null;
        InetSocketAddress v6 = null;
        for (InetSocketAddress r : relayed) {
            boolean isIpv4 = r.getAddress() instanceof Inet4Address;
            if (isIpv4 ? v4 != null : v6 != null) {
                throw new IllegalArgumentException("two relay sockets of one family: " + relayed);
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
        return v4 == null ? List.of(v6) : v6 == null ? List.of(v4) : List.of(v4, v6);
    }

    public Owner owner() {
        return owner;
    }

    public InetSocketAddress client() {
        return client;
    }

    public Transport transport() {
        return transport;
    }

    /** The relayed transport addresses, IPv4 first. */
    public List<InetSocketAddress> relayed() {
        return relayed;
    }

    /** The relayed address of one family ({@code ipv6} true: IPv6), if the allocation has one. */
    public java.util.Optional<InetSocketAddress> relayedOfFamily(boolean ipv6) {
        for (InetSocketAddress r : relayed) {
            if (r.getAddress() instanceof Inet4Address != ipv6) {
                return java.util.Optional.of(r);
            }
        }
        return java.util.Optional.empty();
    }

    /** Whether the allocation relays {@code peer}'s family (else 443 Peer Address Family Mismatch). */
    public boolean relaysFamilyOf(InetAddress peer) {
        boolean ipv4 = peer instanceof Inet4Address;
        for (InetSocketAddress r : relayed) {
            if (r.getAddress() instanceof Inet4Address == ipv4) {
                return true;
            }
        }
        return false;
    }

    /**
     * Drops one family from a dual allocation (Refresh with LIFETIME 0 and REQUESTED-ADDRESS-FAMILY, RFC 8656
     * section 7.3), with the permissions and channel bindings of that family's peers.
     *
     * @return false (nothing changed) when the allocation has no relayed address of that family or it is its only one
     */
    public boolean removeFamily(boolean ipv6, long now) {
        if (relayed.size() < 2 || relayedOfFamily(ipv6).isEmpty()) {
            return false;
        }
        relayed = relayedOfFamily(!ipv6).map(List::of).orElseThrow();
        permissions.keySet().removeIf(peer -> !relaysFamilyOf(peer));
        channelsByPeer.keySet().removeIf(peer -> !relaysFamilyOf(peer.getAddress()));
        for (ChannelBinding b : channelsByNumber.values()) {
            if (!relaysFamilyOf(b.peer.getAddress())) {
                channelsByNumber.remove(b.number, b);
            }
        }
        refreshPeersView(now);
        return true;
    }

    /** When the allocation ends unless refreshed, wall clock. */
    public Instant expiresAt() {
        return expiresAt;
    }

    /**
     * Sets the lifetime left from now.
     *
     * @param now monotonic now, nanoseconds
     * @param wallNow wall-clock now (for views)
     */
    public void expireIn(long seconds, long now, Instant wallNow) {
        expiresAtNanos = now + TimeUnit.SECONDS.toNanos(seconds);
        expiresAt = wallNow.plusSeconds(seconds);
    }

    /** Whether its lifetime has run out (whether or not anything has closed it yet). */
    public boolean expired(long now) {
        return now - expiresAtNanos >= 0;
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
        return true;
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
                channelsByNumber.remove(b.number, b);
                channelsByPeer.remove(b.peer, b);
            }
        }
    }

    /** The live binding of channel {@code number}, or {@code null}. Allocation-free: called per ChannelData. */
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
        List<ChannelBinding> bindings = channelsByNumber.values();
        List<LiveChannel> out = new ArrayList<>(bindings.size());
        for (ChannelBinding b : bindings) {
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

    /** Traffic since the last call, and the part of it the kernel plane carried. */
    public TrafficReport drainCounters() {
        Traffic total = new Traffic(packetsToPeers, bytesToPeers, packetsFromPeers, bytesFromPeers);
        TrafficReport report = new TrafficReport(total.minus(reported), kernelTraffic.minus(reportedKernelTraffic),
                droppedPackets, droppedBytes, oversizedPackets);
        reported = total;
        reportedKernelTraffic = kernelTraffic;
        droppedPackets = 0;
        droppedBytes = 0;
        oversizedPackets = 0;
        return report;
    }

    /** A read-only snapshot; safe from any thread. */
    public AllocationView view() {
        List<InetSocketAddress> addresses = relayed;
        return new AllocationView(new AllocationView.Owner(owner.userId(), owner.username()),
                new AllocationView.Addresses(transport, client, addresses.get(0), addresses), peersView,
                new AllocationView.Lifetime(createdAt, expiresAt),
                new AllocationView.Traffic(bytesToPeers, bytesFromPeers));
    }
}
