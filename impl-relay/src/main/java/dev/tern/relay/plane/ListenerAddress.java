package dev.tern.relay.plane;

import io.netty.channel.Channel;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;

/**
 * The address a UDP client sends to, which the kernel plane must match and send from. A listener bound to one
 * address is that address; a wildcard listener answers from the address the kernel's routing picks towards the
 * client (Netty sets no source address), which a connected socket reveals without sending anything.
 */
final class ListenerAddress {

    private ListenerAddress() {
    }

    /** The address {@code listener} talks to {@code client} from, or {@code null} when it cannot be told. */
    static InetSocketAddress facing(Channel listener, InetSocketAddress client) {
        if (!(listener.localAddress() instanceof InetSocketAddress local)) {
            return null;
        }
        if (!local.getAddress().isAnyLocalAddress()) {
            return local;
        }
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(client);
            return new InetSocketAddress(probe.getLocalAddress(), local.getPort());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
