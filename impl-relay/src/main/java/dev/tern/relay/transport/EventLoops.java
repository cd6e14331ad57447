package dev.tern.relay.transport;

import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.StandardSocketOptions;

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

    /** Makes UDP channels of this transport. */
    public ChannelFactory<DatagramChannel> datagramChannels() {
        return epoll ? EpollDatagramChannel::new : NioDatagramChannel::new;
    }

    /** The SO_REUSEPORT option of this transport. */
    public ChannelOption<Boolean> reusePort() {
        return epoll ? EpollChannelOption.SO_REUSEPORT : NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT);
    }
}
