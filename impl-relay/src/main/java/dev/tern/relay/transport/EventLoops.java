package dev.tern.relay.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.ServerSocketChannel;
import java.nio.channels.spi.SelectorProvider;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.unix.IntegerUnixChannelOption;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.StandardSocketOptions;
import java.util.Optional;

/**
 * The Netty transport the relay runs on: native epoll on Linux when its library is on the class path
 * and loads, NIO otherwise, with the same behaviour (SO_REUSEPORT on both).
 *
 * <p>Immutable and thread-safe.
 */
public final class EventLoops {

    private final boolean epoll;

    private EventLoops(boolean epoll) {
        this.epoll = epoll;
    }

    /** Epoll when available, else NIO. */
    public static EventLoops detect() {
        return new EventLoops(Epoll.isAvailable());
    }

    /** Always NIO (for tests and platforms without epoll). */
    public static EventLoops nio() {
        return new EventLoops(false);
    }

    /** The transport's name for logs: {@code epoll} or {@code nio}. */
    public String name() {
        return epoll ? "epoll" : "nio";
    }

    /** A new group of {@code threads} event loops. */
    public EventLoopGroup newGroup(int threads) {
        DefaultThreadFactory threadsFactory = new DefaultThreadFactory("tern-relay", true);
        return new MultiThreadIoEventLoopGroup(threads, threadsFactory,
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    /**
     * Makes UDP channels of this transport for sockets bound to {@code bindAddress}, of that address's
     * family. A socket of the other family would be dual-stack and report IPv4 senders as
     * {@code ::ffff:a.b.c.d}, which would then match no permission (and epoll does open IPv6 sockets
     * by default).
     */
    public ChannelFactory<DatagramChannel> datagramChannels(InetAddress bindAddress) {
        SocketProtocolFamily family = bindAddress instanceof Inet4Address ? SocketProtocolFamily.INET
                : SocketProtocolFamily.INET6;
        return epoll ? () -> new EpollDatagramChannel(family) : () -> new NioDatagramChannel(family);
    }

    /** Makes TCP listening channels of this transport, of {@code bindAddress}'s family (see above). */
    public ChannelFactory<ServerSocketChannel> serverChannels(InetAddress bindAddress) {
        SocketProtocolFamily family = bindAddress instanceof Inet4Address ? SocketProtocolFamily.INET
                : SocketProtocolFamily.INET6;
        return epoll ? () -> new EpollServerSocketChannel(family)
                : () -> new NioServerSocketChannel(SelectorProvider.provider(), family);
    }

    /**
     * The socket option that decides the DF bit of a UDP socket of {@code bindAddress}'s family
     * ({@code IP_MTU_DISCOVER} or {@code IPV6_MTU_DISCOVER}), if this transport can set it: epoll can, NIO
     * on Java 17 cannot ({@code jdk.net.ExtendedSocketOptions.IP_DONTFRAGMENT} came with Java 19).
     * Values: {@link #PMTUDISC_DONT}, {@link #PMTUDISC_DO}.
     */
    public Optional<ChannelOption<Integer>> pathMtuDiscovery(InetAddress bindAddress) {
        if (!epoll) {
            return Optional.empty();
        }
        return Optional.of(bindAddress instanceof Inet4Address ? IP_MTU_DISCOVER : IPV6_MTU_DISCOVER);
    }

    /** Never set DF (IPv4) and let the kernel fragment (both families): {@code IP_PMTUDISC_DONT}. */
    public static final int PMTUDISC_DONT = 0;
    /** Always set DF (IPv4) and never fragment: a datagram over the path MTU fails; {@code IP_PMTUDISC_DO}. */
    public static final int PMTUDISC_DO = 2;

    // <linux/in.h> and <linux/in6.h>: IPPROTO_IP 0 / IP_MTU_DISCOVER 10, IPPROTO_IPV6 41 / IPV6_MTU_DISCOVER 23.
    private static final ChannelOption<Integer> IP_MTU_DISCOVER = new IntegerUnixChannelOption("IP_MTU_DISCOVER", 0, 10);
    private static final ChannelOption<Integer> IPV6_MTU_DISCOVER =
            new IntegerUnixChannelOption("IPV6_MTU_DISCOVER", 41, 23);

    /** Datagrams a listening socket receives per wakeup at most, so relay sockets get their turn. */
    static final int LISTENER_READS_PER_WAKEUP = 16;

    /**
     * Sets how a UDP listening socket, which many clients share, receives datagrams of up to {@code datagramSize}
     * bytes. All channels of {@code bootstrap} must be on one event loop (its group is that loop).
     *
     * <p>Epoll: one {@code recvmmsg} per wakeup, of up to {@value #LISTENER_READS_PER_WAKEUP} datagrams, into a
     * {@link ReceiveBuffer} of the listener's own. Its sockets are level-triggered (Netty 4.2's datagram channels
     * do not set {@code EPOLLET}), so datagrams left after a full read wake the loop again at once, and a read that
     * returns fewer needs no second call to meet {@code EAGAIN}. Measured on the relay's forwarding path (README,
     * Performance, issue #17): the previous way, {@code recvmsg} until {@code EAGAIN} into a pooled 4 KiB buffer
     * each, made 1.37 receive calls per relayed packet; an earlier attempt at {@code recvmmsg} read into a fresh
     * pooled 64 KiB buffer per call and lost to it on CPU.
     *
     * <p>NIO: one datagram per read, until the socket is empty or {@value #LISTENER_READS_PER_WAKEUP} were read.
     * (An allocator set as an option otherwise reads one datagram per wakeup, Netty's default: one
     * {@code epoll_wait} per client packet.)
     */
    public Bootstrap receiveOnListener(Bootstrap bootstrap, int datagramSize) {
        if (epoll) {
            int bytes = datagramSize * LISTENER_READS_PER_WAKEUP;
            return bootstrap.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, datagramSize)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new ReceiveBufferAllocator(new ReceiveBuffer(bytes), bytes, 1));
        }
        return bootstrap.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(datagramSize)
                .respectMaybeMoreData(false).maxMessagesPerRead(LISTENER_READS_PER_WAKEUP));
    }

    /** The SO_REUSEPORT option of this transport. */
    public ChannelOption<Boolean> reusePort() {
        return epoll ? EpollChannelOption.SO_REUSEPORT : NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT);
    }
}
