package dev.tern.spi;

/**
 * Which data plane a relay runs and what each plane carried since the relay started, for status pages.
 *
 * <p>Immutable and thread-safe.
 *
 * @param plane the plane forwarding bound UDP channels (the user-space plane always forwards the rest)
 * @param reason one line saying why this plane runs, like
 *     {@code kernel plane unavailable: no permission to load eBPF programs ...}
 * @param user what the relay's own threads forwarded
 * @param kernel what the kernel forwarded
 */
public record DataPlaneStatus(RelayListener.Plane plane, String reason, Carried user, Carried kernel) {

    /**
     * Packets and payload bytes forwarded, both directions together.
     *
     * @param packets datagrams forwarded
     * @param bytes their application data bytes
     */
    public record Carried(long packets, long bytes) {

        /** Nothing. */
        public static final Carried NONE = new Carried(0, 0);
    }
}
