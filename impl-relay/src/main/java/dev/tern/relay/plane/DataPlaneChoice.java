package dev.tern.relay.plane;

import dev.tern.relay.kernel.KernelForwarder;
import dev.tern.relay.kernel.KernelPlaneUnavailableException;
import dev.tern.spi.RelayListener;
import java.net.InetAddress;
import java.net.SocketException;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data plane a relay runs, and why that one: chosen once at start from {@code relay.data_plane}.
 *
 * @param plane the plane
 * @param reason one line saying why it is this plane (for the log, the admin page)
 */
public record DataPlaneChoice(DataPlane plane, String reason) {

    private static final Logger LOG = LoggerFactory.getLogger(DataPlaneChoice.class);

    /**
     * Opens the plane {@code mode} asks for, attaching the kernel plane to the interfaces of {@code addresses}
     * (and loopback), and logs one line saying which plane runs and why.
     *
     * @throws IllegalStateException for {@code kernel} when the kernel plane cannot load, with the reason
     */
    public static DataPlaneChoice open(DataPlaneMode mode, Collection<InetAddress> addresses, Clock clock,
            LongSupplier nanoTime) {
        if (mode == DataPlaneMode.USER) {
            return logged(new DataPlaneChoice(new UserSpacePlane(), "relay.data_plane is user"));
        }
        try {
            List<String> interfaces = PlaneInterfaces.covering(addresses);
            KernelForwarder forwarder = KernelForwarder.open(interfaces);
            List<String> off = PlaneInterfaces.forwardingOff(forwarder.interfaces());
            String reason = "TC eBPF program attached to " + String.join(", ", forwarder.interfaces()) + (off.isEmpty()
                    ? "" : "; IPv4 forwarding is off on " + String.join(", ", off) + ", so ChannelData between hosts "
                    + "arriving there stays in user space (net.ipv4.conf.<interface>.forwarding=1 lets the kernel "
                    + "forward it)");
            return logged(new DataPlaneChoice(new KernelPlane(forwarder, clock, nanoTime), reason));
        } catch (KernelPlaneUnavailableException | SocketException e) {
            if (mode == DataPlaneMode.KERNEL) {
                throw new IllegalStateException("relay.data_plane is kernel but the kernel plane cannot load: "
                        + e.getMessage(), e);
            }
            return logged(new DataPlaneChoice(new UserSpacePlane(), "kernel plane unavailable: " + e.getMessage()));
        }
    }

    private static DataPlaneChoice logged(DataPlaneChoice choice) {
        LOG.info("data plane: {} ({})", choice.plane().kind() == RelayListener.Plane.KERNEL ? "kernel" : "user space",
                choice.reason());
        return choice;
    }
}
