package dev.tern.relay.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Binds relay sockets: a random port from the configured range (so relayed addresses cannot be
 * guessed), retried on a port in use, on the event loop of the client the allocation is for, so
 * forwarding never hops threads.
 *
 * <p>Thread-safe; {@link #bind} is called on the client's event loop.
 */
public final class RelayPortBinder {

    /** How many random ports are tried before giving up (then the client gets 508). */
    public static final int ATTEMPTS = 32;
    /**
     * The largest datagram from a peer that is relayed (whole; a larger one is dropped and counted, never
     * truncated): 65 456 bytes, the most that still reaches any client in one piece whatever its framing. A
     * UDP client receives at most 65 507 bytes of payload (IPv4), and the largest framing is a Data
     * indication for an IPv6 peer: 48 bytes of header and up to 3 of padding. Over TCP and TLS the 16-bit
     * length fields of ChannelData and STUN allow more.
     */
    public static final int MAX_PEER_DATAGRAM = 65_507 - HeadroomRecvByteBufAllocator.HEADROOM - 3;
    /**
     * The receive buffer of a listening socket: ChannelData and STUN messages from clients up to this size
     * are read whole; a longer one fails its length check and is dropped, never relayed cut short.
     */
    public static final int MAX_CLIENT_DATAGRAM = 4096;
    /** Socket buffer sizes, so bursts of media are not dropped by the kernel. */
    public static final int SOCKET_BUFFER = 1 << 20;

    private final EventLoops transport;
    private final InetAddress bindAddress;
    private final int lowPort;
    private final int highPort;
    private final Optional<ChannelOption<Integer>> pathMtuDiscovery;
    /** One receive buffer per event loop, shared by the relay sockets on it (never more entries than loops). */
    private final Map<EventLoop, ReceiveBuffer> receiveBuffers = new ConcurrentHashMap<>();
    private final Init init = new Init();

    public RelayPortBinder(EventLoops transport, InetAddress bindAddress, int lowPort, int highPort) {
        this.transport = transport;
        this.bindAddress = bindAddress;
        this.lowPort = lowPort;
        this.highPort = highPort;
        this.pathMtuDiscovery = transport.pathMtuDiscovery(bindAddress);
    }

    /**
     * Binds a relay socket on {@code loop}; completes with the bound channel, or fails when no port
     * could be bound. The socket drops everything until {@link #install} gives it its handler (a
     * handler can join one pipeline only, and a failed bind already used one).
     *
     * @param evenPort whether the port must be even (EVEN-PORT)
     */
    public Promise<Channel> bind(EventLoop loop, boolean evenPort) {
        Promise<Channel> result = loop.newPromise();
        attempt(bootstrap(loop), evenPort, ATTEMPTS, result);
        return result;
    }

    /** The relay socket of an allocation and the socket holding the next port for a reservation. */
    public record PortPair(Channel relay, Channel reserved) {
    }

    /**
     * Binds an even port and holds the next port with a socket that drops everything (EVEN-PORT with
     * the R bit).
     */
    public Promise<PortPair> bindPair(EventLoop loop) {
        Promise<PortPair> result = loop.newPromise();
        attemptPair(loop, ATTEMPTS, result);
        return result;
    }

    private void attemptPair(EventLoop loop, int left, Promise<PortPair> result) {
        int port = randomPort(true);
        if (port < 0 || port + 1 > highPort) {
            result.setFailure(new IllegalStateException("no port pair in the range"));
            return;
        }
        Runnable retry = () -> {
            if (left > 1) {
                attemptPair(loop, left - 1, result);
            } else {
                result.setFailure(new IllegalStateException("no free port pair"));
            }
        };
        ChannelFuture first = bootstrap(loop).bind(new InetSocketAddress(bindAddress, port));
        first.addListener(f1 -> {
            if (!f1.isSuccess()) {
                retry.run();
                return;
            }
            ChannelFuture second = bootstrap(loop).bind(new InetSocketAddress(bindAddress, port + 1));
            second.addListener(f2 -> {
                if (f2.isSuccess()) {
                    result.setSuccess(new PortPair(first.channel(), second.channel()));
                } else {
                    first.channel().close();
                    retry.run();
                }
            });
        });
    }

    /**
     * Moves a reserved port to a new socket on {@code loop}: closes the holding socket, then binds its
     * port.
     */
    public Promise<Channel> bindReserved(EventLoop loop, Channel holder) {
        Promise<Channel> result = loop.newPromise();
        InetSocketAddress address = (InetSocketAddress) holder.localAddress();
        holder.close().addListener(closed -> bindAgain(loop, address, ATTEMPTS, result));
        return result;
    }

    /** NIO frees a closed socket's port only at its selector's next turn, so binding it again may need retries. */
    private void bindAgain(EventLoop loop, InetSocketAddress address, int left,
            Promise<Channel> result) {
        ChannelFuture f = bootstrap(loop).bind(address);
        f.addListener(done -> {
            if (done.isSuccess()) {
                result.setSuccess(f.channel());
            } else if (left > 1) {
                loop.schedule(() -> bindAgain(loop, address, left - 1, result), 5, TimeUnit.MILLISECONDS);
            } else {
                result.setFailure(done.cause());
            }
        });
    }

    /**
     * Puts the allocation's handler on a socket bound by this binder (which drops everything until
     * then); call on the socket's event loop.
     */
    public static void install(Channel relay, ChannelHandler handler) {
        relay.pipeline().replace(DROP, "peer", handler);
    }

    private Bootstrap bootstrap(EventLoop loop) {
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channelFactory(transport.datagramChannels(bindAddress))
                .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
                .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER)
                .handler(init);
        // Linux's default (IP_PMTUDISC_WANT) sets DF on every datagram that fits the path MTU; RFC 8656
        // section 14 wants DF only when the client asked with DONT-FRAGMENT (see dontFragment).
        pathMtuDiscovery.ifPresent(option -> b.option(option, EventLoops.PMTUDISC_DONT));
        return b;
    }

    /** Whether this binder's sockets can be made to set DF ({@link #dontFragment}): on epoll, not on NIO. */
    public boolean canSetDontFragment() {
        return pathMtuDiscovery.isPresent();
    }

    /**
     * Makes a relay socket bound by this binder set DF on every datagram it sends and never fragment
     * them (DONT-FRAGMENT, RFC 8656 section 14); without this call its datagrams never carry DF. Call on
     * the socket's event loop.
     *
     * @return false when the transport cannot (NIO), or the kernel refused
     */
    public boolean dontFragment(Channel relay) {
        return pathMtuDiscovery.isPresent()
                && relay.config().setOption(pathMtuDiscovery.get(), EventLoops.PMTUDISC_DO);
    }

    /**
     * Gives each relay socket its own {@link HeadroomRecvByteBufAllocator} (one datagram per wakeup: a
     * relay socket mostly holds one, and a second read would only return EAGAIN) reading into its event
     * loop's {@link ReceiveBuffer}, before it reads anything, its {@link BatchedFlush}, and the handler that
     * drops everything until {@link #install}.
     */
    @ChannelHandler.Sharable
    private final class Init extends ChannelInitializer<Channel> {
        @Override
        protected void initChannel(Channel ch) {
            ReceiveBuffer shared = receiveBuffers.computeIfAbsent(ch.eventLoop(),
                    loop -> new ReceiveBuffer(MAX_PEER_DATAGRAM + 1));
            ch.config().setRecvByteBufAllocator(new HeadroomRecvByteBufAllocator(MAX_PEER_DATAGRAM, shared));
            BatchedFlush.install(ch);
            ch.pipeline().addLast(DROP);
        }
    }

    /** Drops whatever reaches a socket that only holds a port. */
    @ChannelHandler.Sharable
    private static final class Drop extends io.netty.channel.ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
            io.netty.util.ReferenceCountUtil.release(msg);
        }
    }

    private static final Drop DROP = new Drop();

    private void attempt(Bootstrap bootstrap, boolean evenPort, int left, Promise<Channel> result) {
        int port = randomPort(evenPort);
        if (port < 0) {
            result.setFailure(new IllegalStateException("no even port in the range"));
            return;
        }
        ChannelFuture f = bootstrap.bind(new InetSocketAddress(bindAddress, port));
        f.addListener(done -> {
            if (done.isSuccess()) {
                result.setSuccess(f.channel());
            } else if (left > 1) {
                attempt(bootstrap, evenPort, left - 1, result);
            } else {
                result.setFailure(done.cause());
            }
        });
    }

    private int randomPort(boolean even) {
        int low = even && (lowPort & 1) == 1 ? lowPort + 1 : lowPort;
        if (low > highPort) {
            return -1;
        }
        int span = highPort - low + 1;
        int port = low + ThreadLocalRandom.current().nextInt(span);
        if (even && (port & 1) == 1) {
            port = port - 1 >= low ? port - 1 : port + 1;
        }
        return port;
    }
}
