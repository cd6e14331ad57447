package dev.tern.relay.kernel;

import java.util.List;

/**
 * The loaded TC (clsact ingress) eBPF program that forwards ChannelData between bound UDP clients and peers
 * without waking user space, and its maps.
 *
 * <p>Packets it does not forward (no route, deadline passed, not UDP, fragments, GSO, IP options or IPv6
 * extension headers, STUN messages, malformed ChannelData, length mismatch) pass on unchanged and reach user
 * space as before. Several forwarders may be open at once in one JVM or host: each attaches its own filter and
 * leaves alone the packets it holds no route for.
 *
 * <p>Thread-safe.
 */
public final class KernelForwarder implements AutoCloseable {

    private KernelForwarder() {
    }

    /**
     * Loads the program, attaches it (clsact ingress) to each named interface, first removing what a crashed
     * earlier Tern process left behind.
     *
     * @param interfaces interface names, e.g. {@code lo}, {@code eth0}; at least one
     * @throws KernelPlaneUnavailableException with a one-line reason: no CAP_BPF/CAP_NET_ADMIN, libbpf missing,
     *         program refused, attach failed (naming the interface)
     */
    public static KernelForwarder open(List<String> interfaces) throws KernelPlaneUnavailableException {
        throw new KernelPlaneUnavailableException("kernel plane not implemented yet");
    }

    /**
     * Installs or updates both directions of a route; the kernel stops forwarding {@code remainingNanos} from now
     * (a packet after that goes up to user space as before). Idempotent: an update sets the new deadline and
     * keeps the counters.
     *
     * @throws IllegalStateException when the maps are full or the forwarder is closed
     */
    public void install(ChannelRoute route, long remainingNanos) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Removes both directions; returns the final counters ({@link RouteCounters#ZERO} if not installed). */
    public RouteCounters remove(ChannelRoute route) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Current cumulative counters of an installed route ({@link RouteCounters#ZERO} if not installed). */
    public RouteCounters counters(ChannelRoute route) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** The interfaces it is attached to, in the order given to {@link #open}. */
    public List<String> interfaces() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Detaches from every interface and frees the maps. Idempotent. */
    @Override
    public void close() {
    }
}
