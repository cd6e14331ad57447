package dev.tern.relay.kernel;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.tern.spi.RelayListener.Direction;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loaded TC (clsact ingress) eBPF program that forwards ChannelData between bound UDP clients and peers
 * without waking user space, and its maps. The program is {@code src/main/bpf/tern_tc.c}, shipped compiled as the
 * resource {@code tern_tc.bpf.o} and loaded through Debian's libbpf ({@code libbpf1}) with JNA.
 *
 * <p>Packets it does not forward (no route, deadline passed, not UDP, fragments, GSO, IP options or IPv6
 * extension headers, STUN messages, malformed ChannelData, length mismatch, payloads over
 * {@value #MAX_PAYLOAD} bytes, no local socket or route for the rewritten packet) pass on unchanged and reach user
 * space as before. Several forwarders may be open at once in one JVM or host: each attaches its own filter and maps
 * and leaves alone the packets it holds no route for.
 *
 * <p>Deadlines are on {@code CLOCK_MONOTONIC}, the clock the program reads ({@code bpf_ktime_get_ns}); it is read
 * here from the kernel, not from an injected clock, because the kernel is what compares against it.
 *
 * <p>Thread-safe: every method may be called from any thread.
 */
public final class KernelForwarder implements AutoCloseable {

    /** Routes one forwarder holds at most (each map's {@code max_entries} in {@code tern_tc.c}). */
    public static final int MAX_ROUTES = 65536;
    /** The largest ChannelData payload the kernel forwards; larger datagrams go to user space. */
    public static final int MAX_PAYLOAD = 2048;

    private static final Logger log = LoggerFactory.getLogger(KernelForwarder.class);
    private static final String OBJECT_RESOURCE = "tern_tc.bpf.o";
    private static final String PROGRAM = "tern_tc";
    private static final int EPERM = 1;
    private static final int EACCES = 13;
    private static final int ENOENT = 2;
    private static final long BPF_ANY = 0;
    /** Link types in {@code /sys/class/net/IF/type} ({@code linux/if_arp.h}). */
    private static final String ARPHRD_ETHER = "1";
    private static final String ARPHRD_LOOPBACK = "772";

    private final LibBpf bpf;
    private final LibC libc;
    private final IngressFilters filters;
    private final Pointer object;
    private final int clientRoutesFd;
    private final int peerRoutesFd;
    private final int countersFd;
    private final List<IngressFilters.Attached> attached;
    private final List<String> interfaces;
    /** Installed routes and their counters slot; guarded by {@code this}. */
    private final Map<ChannelRoute, Integer> slots = new HashMap<>();
    private final Deque<Integer> freeSlots = new ArrayDeque<>();
    private int nextSlot;
    private boolean closed;

    /** The file descriptors of the loaded program's maps. */
    private record Maps(int clientRoutesFd, int peerRoutesFd, int countersFd) {
    }

    /** Where the program is attached: the filters on each named interface, and the names in the order given. */
    private record Attachment(IngressFilters filters, List<IngressFilters.Attached> attached,
            List<String> interfaces) {
    }

    private KernelForwarder(LibBpf bpf, LibC libc, Pointer object, Maps maps, Attachment attachment) {
        this.bpf = bpf;
        this.libc = libc;
        this.object = object;
        this.clientRoutesFd = maps.clientRoutesFd();
        this.peerRoutesFd = maps.peerRoutesFd();
        this.countersFd = maps.countersFd();
        this.filters = attachment.filters();
        this.attached = attachment.attached();
        this.interfaces = attachment.interfaces();
    }

    /**
     * Loads the program, attaches it (clsact ingress) to each named interface, first removing what a crashed
     * earlier Tern process left behind.
     *
     * @param interfaces interface names, e.g. {@code lo}, {@code eth0}; at least one, no repeats
     * @throws KernelPlaneUnavailableException with a one-line reason: no CAP_BPF/CAP_NET_ADMIN, libbpf missing,
     *         program refused, no such interface, attach failed (naming the interface)
     */
    public static KernelForwarder open(List<String> interfaces) throws KernelPlaneUnavailableException {
        Objects.requireNonNull(interfaces, "interfaces");
        if (interfaces.isEmpty()) {
            throw new KernelPlaneUnavailableException("no interface to attach the kernel plane to");
        }
        if (interfaces.stream().distinct().count() != interfaces.size()) {
            throw new KernelPlaneUnavailableException("interfaces named twice: " + interfaces);
        }
        LibBpf bpf;
        LibC libc;
        try {
            bpf = LibBpf.load();
            libc = LibC.load();
        } catch (UnsatisfiedLinkError e) {
            throw new KernelPlaneUnavailableException("libbpf.so.1 cannot be loaded (install Debian's libbpf1): "
                    + firstLine(e.getMessage()));
        }
        for (String iface : interfaces) {
            if (libc.if_nametoindex(iface) == 0) {
                throw new KernelPlaneUnavailableException("no network interface named '" + iface + "'");
            }
            requireEthernetFraming(iface);
        }
        // libbpf would print its diagnostics to stderr; the errors that matter come back as errno here.
        bpf.libbpf_set_print(null);
        byte[] elf = objectBytes();
        Memory buffer = new Memory(elf.length);
        buffer.write(0, elf, 0, elf.length);
        Pointer object = bpf.bpf_object__open_mem(buffer, elf.length, null);
        if (object == null) {
            throw new KernelPlaneUnavailableException("libbpf cannot open the kernel plane's BPF object: "
                    + reason(libc, Native.getLastError()));
        }
        IngressFilters filters = new IngressFilters(bpf, libc);
        List<IngressFilters.Attached> attached = new ArrayList<>();
        try {
            int rc = bpf.bpf_object__load(object);
            if (rc < 0) {
                throw new KernelPlaneUnavailableException(-rc == EPERM || -rc == EACCES
                        ? "no permission to load eBPF programs (needs CAP_BPF and CAP_NET_ADMIN, or root): "
                                + reason(libc, -rc)
                        : "the kernel refused the kernel plane's eBPF program: " + reason(libc, -rc));
            }
            int progFd = bpf.bpf_program__fd(bpf.bpf_object__find_program_by_name(object, PROGRAM));
            int clientRoutes = mapFd(bpf, object, "tern_client_routes");
            int peerRoutes = mapFd(bpf, object, "tern_peer_routes");
            int counters = mapFd(bpf, object, "tern_counters");
            for (String iface : interfaces) {
                filters.removeStale(iface);
                attached.add(filters.attach(iface, progFd));
            }
            log.info("Kernel plane attached to {}", interfaces);
            return new KernelForwarder(bpf, libc, object, new Maps(clientRoutes, peerRoutes, counters),
                    new Attachment(filters, List.copyOf(attached), List.copyOf(interfaces)));
        } catch (KernelPlaneUnavailableException | RuntimeException e) {
            attached.forEach(filters::detach);
            bpf.bpf_object__close(object);
            throw e;
        }
    }

    /**
     * Installs or updates both directions of a route; the kernel stops forwarding {@code remainingNanos} from now
     * (a packet after that goes up to user space as before). Idempotent: an update sets the new deadline and keeps
     * the counters. A route whose client and peer differ in address family is left to user space: nothing is
     * installed (see {@link #forwards(ChannelRoute)}).
     *
     * @throws IllegalStateException when {@value #MAX_ROUTES} routes are installed, the kernel refuses the update,
     *         or the forwarder is closed
     */
    public void install(ChannelRoute route, long remainingNanos) {
        install(route, remainingNanos, EnumSet.allOf(Direction.class));
    }

    /**
     * Installs or updates a route in the given directions only, removing it in the others (the client-to-peer
     * direction is {@link Direction#TO_PEER}): packets the other way then go up to user space. The directions'
     * counters are one slot, kept across such changes. Otherwise as {@link #install(ChannelRoute, long)}.
     *
     * @param directions at least one
     * @throws IllegalArgumentException for no direction
     */
    public synchronized void install(ChannelRoute route, long remainingNanos, Set<Direction> directions) {
        Objects.requireNonNull(route, "route");
        if (directions.isEmpty()) {
            throw new IllegalArgumentException("a route needs a direction; remove it instead");
        }
        requireOpen();
        if (!forwards(route)) {
            return;
        }
        Integer existing = slots.get(route);
        int slot = existing != null ? existing : takeSlot();
        long now = monotonicNanos();
        long deadline = remainingNanos <= 0 ? now : now + Math.min(remainingNanos, Long.MAX_VALUE - now);
        try {
            if (existing == null) {
                update(countersFd, RouteLayout.slotKey(slot), new byte[RouteLayout.COUNTERS_SIZE], "counters");
            }
            if (directions.contains(Direction.TO_PEER)) {
                update(clientRoutesFd, RouteLayout.clientKey(route), RouteLayout.toPeer(route, deadline, slot),
                        "client route");
            } else {
                delete(clientRoutesFd, RouteLayout.clientKey(route));
            }
            if (directions.contains(Direction.FROM_PEER)) {
                update(peerRoutesFd, RouteLayout.peerKey(route), RouteLayout.toClient(route, deadline, slot),
                        "peer route");
            } else {
                delete(peerRoutesFd, RouteLayout.peerKey(route));
            }
        } catch (IllegalStateException e) {
            if (existing == null) {
                delete(clientRoutesFd, RouteLayout.clientKey(route));
                delete(peerRoutesFd, RouteLayout.peerKey(route));
                freeSlots.addLast(slot);
            }
            throw e;
        }
        slots.put(route, slot);
    }

    /** Removes both directions; returns the final counters ({@link RouteCounters#ZERO} if not installed). */
    public synchronized RouteCounters remove(ChannelRoute route) {
        Objects.requireNonNull(route, "route");
        if (closed) {
            return RouteCounters.ZERO;
        }
        Integer slot = slots.remove(route);
        if (slot == null) {
            return RouteCounters.ZERO;
        }
        delete(clientRoutesFd, RouteLayout.clientKey(route));
        delete(peerRoutesFd, RouteLayout.peerKey(route));
        RouteCounters last = readCounters(slot);
        freeSlots.addLast(slot);
        return last;
    }

    /** Current cumulative counters of an installed route ({@link RouteCounters#ZERO} if not installed). */
    public synchronized RouteCounters counters(ChannelRoute route) {
        Objects.requireNonNull(route, "route");
        Integer slot = closed ? null : slots.get(route);
        return slot == null ? RouteCounters.ZERO : readCounters(slot);
    }

    /**
     * Whether the kernel forwards this route once installed: client and peer of one address family (the program
     * does not translate between IPv4 and IPv6).
     */
    public boolean forwards(ChannelRoute route) {
        return ChannelRoute.isIpv4(route.client()) == ChannelRoute.isIpv4(route.peer());
    }

    /** The interfaces it is attached to, in the order given to {@link #open}. */
    public List<String> interfaces() {
        return interfaces;
    }

    /** Detaches from every interface and frees the maps. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        attached.forEach(filters::detach);
        bpf.bpf_object__close(object);
        slots.clear();
        log.info("Kernel plane detached from {}", interfaces);
    }

    /**
     * Fresh slots first, then freed ones oldest first: a packet the program was forwarding while its route was
     * removed can still count into the old slot, so a slot is reused as late as possible.
     */
    private int takeSlot() {
        if (nextSlot < MAX_ROUTES) {
            return nextSlot++;
        }
        Integer slot = freeSlots.pollFirst();
        if (slot == null) {
            throw new IllegalStateException("the kernel plane holds its maximum of " + MAX_ROUTES + " routes");
        }
        return slot;
    }

    private RouteCounters readCounters(int slot) {
        Memory key = memory(RouteLayout.slotKey(slot));
        Memory value = new Memory(RouteLayout.COUNTERS_SIZE);
        int rc = bpf.bpf_map_lookup_elem(countersFd, key, value);
        if (rc < 0) {
            throw new IllegalStateException("cannot read kernel plane counters: " + reason(libc, -rc));
        }
        return RouteLayout.counters(value.getByteArray(0, RouteLayout.COUNTERS_SIZE));
    }

    private void update(int fd, byte[] key, byte[] value, String what) {
        int rc = bpf.bpf_map_update_elem(fd, memory(key), memory(value), BPF_ANY);
        if (rc < 0) {
            throw new IllegalStateException("cannot install kernel plane " + what + ": " + reason(libc, -rc));
        }
    }

    private void delete(int fd, byte[] key) {
        int rc = bpf.bpf_map_delete_elem(fd, memory(key));
        if (rc < 0 && rc != -ENOENT) {
            log.warn("Could not delete a kernel plane route: {}", reason(libc, -rc));
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the kernel plane forwarder is closed");
        }
    }

    private long monotonicNanos() {
        Memory ts = new Memory(16);
        if (libc.clock_gettime(LibC.CLOCK_MONOTONIC, ts) != 0) {
            throw new IllegalStateException("clock_gettime(CLOCK_MONOTONIC) failed: "
                    + reason(libc, Native.getLastError()));
        }
        return ts.getLong(0) * 1_000_000_000L + ts.getLong(8);
    }

    private static Memory memory(byte[] bytes) {
        Memory m = new Memory(bytes.length);
        m.write(0, bytes, 0, bytes.length);
        return m;
    }

    private static int mapFd(LibBpf bpf, Pointer object, String name) throws KernelPlaneUnavailableException {
        Pointer map = bpf.bpf_object__find_map_by_name(object, name);
        int fd = map == null ? -1 : bpf.bpf_map__fd(map);
        if (fd < 0) {
            throw new KernelPlaneUnavailableException("the kernel plane's BPF object has no map " + name);
        }
        return fd;
    }

    /**
     * The program parses an Ethernet header first, which Ethernet-like interfaces (veth, bridges, NICs) and
     * loopback carry; on an interface without one (tun, WireGuard) it would misread every packet.
     */
    private static void requireEthernetFraming(String iface) throws KernelPlaneUnavailableException {
        String type;
        try {
            type = Files.readString(Path.of("/sys/class/net", iface, "type")).strip();
        } catch (IOException e) {
            throw new KernelPlaneUnavailableException("cannot read the link type of interface '" + iface + "': "
                    + e.getMessage());
        }
        if (!type.equals(ARPHRD_ETHER) && !type.equals(ARPHRD_LOOPBACK)) {
            throw new KernelPlaneUnavailableException("interface '" + iface + "' has no Ethernet header (link type "
                    + type + "); the kernel plane attaches to Ethernet and loopback interfaces only");
        }
    }

    private static byte[] objectBytes() throws KernelPlaneUnavailableException {
        try (InputStream in = KernelForwarder.class.getResourceAsStream(OBJECT_RESOURCE)) {
            if (in == null) {
                throw new KernelPlaneUnavailableException("the BPF object " + OBJECT_RESOURCE
                        + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new KernelPlaneUnavailableException("cannot read the BPF object " + OBJECT_RESOURCE + ": "
                    + e.getMessage(), e);
        }
    }

    private static String reason(LibC libc, int errno) {
        return libc.strerror(errno) + " (errno " + errno + ")";
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
