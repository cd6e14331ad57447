package dev.tern.relay.plane;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The interfaces the kernel plane attaches to: loopback, and the interfaces owning the addresses the relay
 * listens and relays on (for a wildcard address, every interface that is up and has an Ethernet address: the
 * program parses an Ethernet header, so tun and WireGuard interfaces are left to user space). ChannelData from
 * clients arrives on the listener's interface and peers' datagrams on the relay address's; TC ingress sees both.
 */
public final class PlaneInterfaces {

    private static final Path IPV4_CONF = Path.of("/proc/sys/net/ipv4/conf");

    private PlaneInterfaces() {
    }

    /**
     * Of these interfaces, those other than loopback where IPv4 forwarding is off: the program finds the next hop
     * with {@code bpf_fib_lookup}, which fails there, so ChannelData arriving on them for another host stays in
     * user space ({@code net.ipv4.conf.<name>.forwarding=1} lets the kernel forward it).
     */
    public static List<String> forwardingOff(List<String> interfaces) {
        List<String> off = new ArrayList<>();
        for (String name : interfaces) {
            Path setting = IPV4_CONF.resolve(name).resolve("forwarding");
            try {
                if (!name.equals("lo") && Files.readString(setting).trim().equals("0")) {
                    off.add(name);
                }
            } catch (IOException | RuntimeException e) {
                // not readable (not Linux, no such interface): nothing to say about it
            }
        }
        return off;
    }

    /**
     * The interface names for these local addresses, loopback first.
     *
     * @throws SocketException when the interfaces cannot be listed
     */
    public static List<String> covering(Collection<InetAddress> addresses) throws SocketException {
        Set<String> names = new LinkedHashSet<>();
        List<NetworkInterface> up = new ArrayList<>();
        Enumeration<NetworkInterface> all = NetworkInterface.getNetworkInterfaces();
        while (all != null && all.hasMoreElements()) {
            NetworkInterface n = all.nextElement();
            if (n.isUp()) {
                up.add(n);
                if (n.isLoopback()) {
                    names.add(n.getName());
                }
            }
        }
        for (InetAddress address : addresses) {
            if (address.isAnyLocalAddress()) {
                for (NetworkInterface n : up) {
                    byte[] mac = n.getHardwareAddress();
                    if (n.isLoopback() || mac != null && mac.length == 6) {
                        names.add(n.getName());
                    }
                }
                continue;
            }
            NetworkInterface owner = NetworkInterface.getByInetAddress(address);
            if (owner != null) {
                names.add(owner.getName());
            }
        }
        return List.copyOf(names);
    }
}
