package dev.tern.relay.plane;

import dev.tern.spi.Transport;
import dev.tern.relay.allocation.Allocation;
import dev.tern.spi.RelayListener.Direction;
import dev.tern.spi.RelayListener.Plane;
import dev.tern.relay.core.allocation.LiveChannel;
import dev.tern.relay.core.allocation.Traffic;
import dev.tern.relay.kernel.ChannelRoute;
import dev.tern.relay.kernel.KernelForwarder;
import dev.tern.relay.kernel.RouteCounters;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel plane: for every live channel of a UDP client whose peer has a live permission, a
 * {@link ChannelRoute} in the {@link KernelForwarder}'s maps, so the TC program forwards its ChannelData both
 * ways without waking user space. Everything else (Send and Data indications, TCP/TLS clients, unbound peers,
 * the first packets before a ChannelBind) stays with the Netty handlers.
 *
 * <p>Each route's deadline is the earliest of the channel's, the permission's and the allocation's expiry, so
 * expiry stops the kernel by itself at the exact moment user space would stop relaying. Refreshes move the
 * deadline ({@link #changed}); Refresh 0, deletion, drain and closing remove the routes ({@link #ended}).
 *
 * <p>Counters: {@link #collect} (once a second, on the allocation's loop) reads each route's cumulative
 * counters and adds the growth to the allocation's counters, so its totals, the metrics and the admin page
 * count kernel traffic too; removing a route adds its final counts.
 *
 * <p>Bandwidth: {@code max_bitrate} applies to each direction separately (#22 point 5). The bytes the kernel
 * carried each way are charged to that direction's token bucket at each poll. When they were more than the bucket
 * held, the allocation's routes come out in that direction only and the token bucket in user space applies to
 * its packets (dropping what is over the rate), while the other direction stays in the kernel; the direction goes
 * back in at a later poll once its bucket has refilled to half its burst. The program itself enforces no rate, so
 * a user can exceed its rate by at most about one poll interval's worth before user space takes over.
 *
 * <p>Channels to another allocation's relayed address get no route: their data
 * is handed over inside the relay by user space, and a kernel route would deliver it to the relay's own socket.
 *
 * <p>Thread-safe: the routes of one allocation are only touched on its event loop.
 */
public final class KernelPlane implements DataPlane {

    private static final Logger LOG = LoggerFactory.getLogger(KernelPlane.class);

    private final KernelForwarder forwarder;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final Map<Allocation, Routes> byAllocation = new ConcurrentHashMap<>();

    /** The routes of one allocation; touched on its event loop only. */
    private static final class Routes {
        final Map<ChannelRoute, RouteCounters> installed = new HashMap<>();
        /** The directions over their rate, which user space relays until their bucket recovers. */
        final EnumSet<Direction> overRate = EnumSet.noneOf(Direction.class);
        InetSocketAddress listener;
    }

    /**
     * @param forwarder the loaded program; closed by {@link #close()}
     * @param clock wall-clock time (allocation expiry)
     * @param nanoTime the monotonic time channel and permission expiry are kept in
     */
    public KernelPlane(KernelForwarder forwarder, Clock clock, LongSupplier nanoTime) {
        this.forwarder = forwarder;
        this.clock = clock;
        this.nanoTime = nanoTime;
    }

    @Override
    public Plane kind() {
        return Plane.KERNEL;
    }

    /** The interfaces the program is attached to. */
    public List<String> interfaces() {
        return forwarder.interfaces();
    }

    @Override
    public void changed(Allocation allocation) {
        if (allocation.transport() != Transport.UDP || allocation.closed()) {
            return;
        }
        Routes routes = byAllocation.computeIfAbsent(allocation, a -> new Routes());
        sync(allocation, routes, nanoTime.getAsLong(), true);
    }

    @Override
    public void collect(Allocation allocation) {
        Routes routes = byAllocation.get(allocation);
        if (routes == null) {
            return;
        }
        Traffic carried = Traffic.NONE;
        for (Map.Entry<ChannelRoute, RouteCounters> e : routes.installed.entrySet()) {
            RouteCounters now = forwarder.counters(e.getKey());
            carried = carried.plus(traffic(now, e.getValue()));
            e.setValue(now);
        }
        allocation.countKernel(carried);
        boolean directionsChanged = false;
        for (Direction d : Direction.values()) {
            long bytes = d == Direction.TO_PEER ? carried.bytesToPeers() : carried.bytesFromPeers();
            if (!allocation.chargeKernel(d, bytes)) {
                directionsChanged |= routes.overRate.add(d);
            } else if (routes.overRate.contains(d) && allocation.rateRecovered(d)) {
                directionsChanged |= routes.overRate.remove(d);
            }
        }
        // Takes out the directions over their rate, installs what recovered and takes out routes whose deadline
        // passed, so the maps hold live routes only; routes already in keep their deadlines unless their
        // directions changed.
        sync(allocation, routes, nanoTime.getAsLong(), directionsChanged);
    }

    @Override
    public void ended(Allocation allocation) {
        Routes routes = byAllocation.remove(allocation);
        if (routes != null) {
            removeAll(allocation, routes);
        }
    }

    @Override
    public void close() {
        forwarder.close();
    }

    /**
     * Makes the installed routes those of the live channels, in the directions not over their rate;
     * {@code rewrite} also rewrites routes already installed (after a refresh, or when their directions changed),
     * else only missing routes are installed.
     */
    private void sync(Allocation allocation, Routes routes, long now, boolean rewrite) {
        Map<ChannelRoute, Long> wanted = new HashMap<>();
        EnumSet<Direction> directions = EnumSet.complementOf(routes.overRate);
        if (!directions.isEmpty()) {
            long allocationLeft = Duration.between(clock.instant(), allocation.expiresAt()).toNanos();
            for (LiveChannel c : allocation.liveChannels(now)) {
                ChannelRoute route = route(allocation, routes, c);
                long left = Math.min(c.untilNanos() - now, allocationLeft);
                if (route != null && left > 0) {
                    wanted.put(route, left);
                }
            }
        }
        Traffic last = Traffic.NONE;
        Iterator<Map.Entry<ChannelRoute, RouteCounters>> it = routes.installed.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<ChannelRoute, RouteCounters> e = it.next();
            if (!wanted.containsKey(e.getKey())) {
                last = last.plus(traffic(forwarder.remove(e.getKey()), e.getValue()));
                it.remove();
            }
        }
        allocation.countKernel(last);
        for (Map.Entry<ChannelRoute, Long> w : wanted.entrySet()) {
            if (!rewrite && routes.installed.containsKey(w.getKey())) {
                continue;
            }
            try {
                forwarder.install(w.getKey(), w.getValue(), directions);
                routes.installed.putIfAbsent(w.getKey(), RouteCounters.ZERO);
            } catch (RuntimeException e) {
                // Maps full or the forwarder closing: this channel stays in user space.
                LOG.debug("channel {} stays in user space: {}", w.getKey(), e.getMessage());
            }
        }
    }

    private void removeAll(Allocation allocation, Routes routes) {
        Traffic last = Traffic.NONE;
        for (Map.Entry<ChannelRoute, RouteCounters> e : routes.installed.entrySet()) {
            last = last.plus(traffic(forwarder.remove(e.getKey()), e.getValue()));
        }
        routes.installed.clear();
        allocation.countKernel(last);
    }

    /** The route of a channel, or {@code null} when the kernel cannot forward it (a wildcard relay address). */
    private static ChannelRoute route(Allocation allocation, Routes routes, LiveChannel c) {
        Allocation.Relay relay = allocation.relayOfFamily(!(c.peer().getAddress() instanceof Inet4Address));
        if (relay == null || !(relay.channel().localAddress() instanceof InetSocketAddress relayed)
                || relayed.getAddress().isAnyLocalAddress()) {
            return null;
        }
        if (routes.listener == null) {
            routes.listener = ListenerAddress.facing(allocation.clientChannel(), allocation.client());
            if (routes.listener == null) {
                return null;
            }
        }
        try {
            return new ChannelRoute(allocation.client(), routes.listener, relayed, c.peer(), c.number(),
                    relay.dontFragment());
        } catch (IllegalArgumentException e) {
            // Client and listener of different families (an IPv4-mapped client on an IPv6 socket): user space.
            return null;
        }
    }

    /** The growth from {@code seen} to {@code now}; never negative (a closed forwarder reads zeros). */
    private static Traffic traffic(RouteCounters now, RouteCounters seen) {
        return new Traffic(Math.max(0, now.packetsToPeer() - seen.packetsToPeer()),
                Math.max(0, now.bytesToPeer() - seen.bytesToPeer()),
                Math.max(0, now.packetsToClient() - seen.packetsToClient()),
                Math.max(0, now.bytesToClient() - seen.bytesToClient()));
    }
}
