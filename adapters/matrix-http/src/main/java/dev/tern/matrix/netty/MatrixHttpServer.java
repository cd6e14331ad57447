package dev.tern.matrix.netty;

import dev.tern.guard.BindFailure;
import dev.tern.guard.ListenerGuard;
import dev.tern.matrix.http.MatrixConfig;
import dev.tern.matrix.http.MatrixEndpoints;
import dev.tern.spi.InvalidSettingException;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP/1.1 server for the Matrix endpoints (sidecar mode, or a homeserver without its own HTTP stack):
 * binds {@code listen} with its own event loop threads.
 *
 * <p>Thread-safe. {@link #start} binds or throws; {@link #close} stops accepting, closes connections and
 * releases the threads (idempotent).
 */
public final class MatrixHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MatrixHttpServer.class);

    private final EventLoopGroup group;
    private final Channel channel;

    private MatrixHttpServer(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    /**
     * Binds {@code matrix.listen} with {@code matrix.max_header_size} and starts serving, behind {@code guard}
     * (built from {@code matrix.connections}: {@link ListenerGuard#create}).
     *
     * @throws InvalidSettingException for {@code listen} when the config has none
     * @throws IllegalStateException naming the address when it cannot be bound
     */
    public static MatrixHttpServer start(MatrixEndpoints endpoints, MatrixConfig config, ListenerGuard guard) {
        InetSocketAddress listen = config.listenAddress().orElseThrow(() -> new InvalidSettingException("listen",
                "is required to run the Matrix endpoints' own HTTP server, like 127.0.0.1:8008"));
        return start(endpoints, listen, config.maxHeaderSize(), guard);
    }

    /**
     * Binds the address and starts serving.
     *
     * @param maxHeaderSize the largest header block accepted, in bytes ({@code max_header_size})
     * @param guard the connection caps, header deadline and idle timeout ({@code matrix.connections})
     * @throws IllegalStateException naming the address when it cannot be bound, like
     *     {@code http://127.0.0.1:8008: address already in use}
     */
    public static MatrixHttpServer start(MatrixEndpoints endpoints, InetSocketAddress listen, int maxHeaderSize,
            ListenerGuard guard) {
        MatrixHttpHandler handler = new MatrixHttpHandler(endpoints);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try {
            Channel channel = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            pipeline(ch.pipeline(), handler, maxHeaderSize, guard);
                        }
                    })
                    .bind(listen).syncUninterruptibly().channel();
            LOG.info("Matrix endpoints listening on http://{}", hostPort((InetSocketAddress) channel.localAddress()));
            return new MatrixHttpServer(group, channel);
        } catch (Exception e) { // Netty rethrows the checked BindException undeclared
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException(BindFailure.message("http://" + hostPort(listen), e), e);
        }
    }

    /**
     * Adds the guard's caps and idle timeout, the HTTP codec (with header and line limits), the guard's deadline
     * for every request's headers, the aggregator and the handler to a new connection's pipeline, for hosts
     * that run their own Netty server (one guard for all of the server's connections).
     */
    public static void pipeline(ChannelPipeline pipeline, MatrixHttpHandler handler, int maxHeaderSize,
            ListenerGuard guard) {
        guard.guard(pipeline);
        HttpPipelines.http1(pipeline, handler, maxHeaderSize, guard);
    }

    /** The address actually bound (with the real port when {@code listen} said 0). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    private static String hostPort(InetSocketAddress address) {
        String host = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
