package dev.tern.guard;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;

/**
 * The address a connection's client really has: the TCP peer's address, unless a trusted proxy said
 * otherwise in a PROXY protocol header ({@link #set}), in which case the address it gave. Everything that
 * limits, refuses or logs a client (the relay's quotas, deny list and failed-check limits; the Matrix
 * endpoints' rate limits; log lines) asks this instead of {@link Channel#remoteAddress()}. An HTTP/2 stream
 * (a child channel) answers for its connection.
 *
 * <p>Stateless and thread-safe; the address travels as a channel attribute, set once on the connection's
 * event loop before anything reads it.
 */
public final class SourceAddress {

    private static final AttributeKey<InetSocketAddress> PROXIED = AttributeKey.valueOf(SourceAddress.class, "proxied");

    private SourceAddress() {
    }

    /** The client's address of {@code channel} (or of the connection it is a stream of). */
    public static InetSocketAddress of(Channel channel) {
        for (Channel c = channel; c != null; c = c.parent()) {
            if (c.hasAttr(PROXIED)) {
                InetSocketAddress proxied = c.attr(PROXIED).get();
                if (proxied != null) {
                    return proxied;
                }
            }
        }
        return (InetSocketAddress) channel.remoteAddress();
    }

    /** Records the client address a trusted proxy gave for {@code connection}. */
    public static void set(Channel connection, InetSocketAddress client) {
        connection.attr(PROXIED).set(client);
    }
}
