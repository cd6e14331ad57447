package dev.tern.relay.plane;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The interfaces the kernel plane attaches to: loopback, and the interfaces owning the addresses the relay
 * listens and relays on (every interface that is up for a wildcard address). ChannelData from clients arrives
 * on the listener's interface and peers' datagrams on the relay address's; TC ingress sees both there.
 */
public final class PlaneInterfaces {

    private PlaneInterfaces() {
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
                up.forEach(n -> names.add(n.getName()));
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
