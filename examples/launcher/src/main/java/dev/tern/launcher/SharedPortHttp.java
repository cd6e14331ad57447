package dev.tern.launcher;

import dev.tern.guard.ListenerGuard;
import dev.tern.matrix.netty.HttpPipelines;
import dev.tern.relay.shared.HttpConnections;
import dev.tern.relay.shared.HttpProtocol;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;

/**
 * The launcher's HTTP side of a port the relay shares with it ({@code tls+https://}, {@code tcp+http://}): the
 * connections the relay finds to be HTTP get the Matrix endpoints (and the admin routes, when
 * {@code metrics.shared_port} is on) over HTTP/1.1 or HTTP/2, behind the Matrix endpoints' connection settings
 * ({@code matrix.connections}: header deadline and idle timeout; the connection itself is counted by the relay's
 * caps, which every connection to the port passes first).
 *
 * <p>Thread-safe.
 *
 * @param handler the sharable {@code FullHttpRequest} handler
 * @param maxHeaderSize {@code matrix.max_header_size}
 * @param guard built from {@code matrix.connections}
 */
record SharedPortHttp(ChannelHandler handler, int maxHeaderSize, ListenerGuard guard) implements HttpConnections {

    @Override
    public void adopt(Channel connection, HttpProtocol protocol) {
        guard.adopt(connection.pipeline());
        switch (protocol) {
            case HTTP_1_1 -> HttpPipelines.http1(connection.pipeline(), handler, maxHeaderSize, guard);
            case HTTP_2 -> HttpPipelines.http2(connection.pipeline(), handler, maxHeaderSize, guard);
        }
    }
}
