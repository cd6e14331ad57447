package dev.tern.relay.stream;

import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * An embedded channel with the socket addresses a TCP connection has (local 127.0.0.1:3478, remote
 * 127.0.0.1:50000), for handlers that read them.
 */
public final class EmbeddedConnection extends EmbeddedChannel {

    public EmbeddedConnection(ChannelHandler... handlers) {
        super(handlers);
    }

    @Override
    protected SocketAddress localAddress0() {
        return new InetSocketAddress("127.0.0.1", 3478);
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return new InetSocketAddress("127.0.0.1", 50000);
    }
}
