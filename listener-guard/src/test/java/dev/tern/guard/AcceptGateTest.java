package dev.tern.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tern.spi.MetricsRecorder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link AcceptGate} on a real listener on loopback: a connection over its address's cap is reset without ever
 * getting a pipeline, so turning a flood away costs an accept and a close.
 */
class AcceptGateTest {

    @Test
    void resetsAConnectionOverItsAddressCapBeforeItGetsAPipeline() throws Exception {
        ListenerGuard guard = new ListenerGuard(new ConnectionLimits("test", 100, 2,
                new DescriptorReserve(() -> 0, () -> 1024, 10, 64), ClientLogThrottle.perMinute(Clock.systemUTC()),
                MetricsRecorder.NONE), ClientLogThrottle.perMinute(Clock.systemUTC()), Duration.ofMinutes(1),
                Duration.ofMinutes(1));
        AtomicInteger pipelines = new AtomicInteger();
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel listener = new ServerBootstrap().group(loops).channel(NioServerSocketChannel.class)
                    .handler(guard.acceptGate())
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            pipelines.incrementAndGet();
                            guard.guard(ch.pipeline());
                        }
                    })
                    .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
            InetSocketAddress at = (InetSocketAddress) listener.localAddress();
            try (Socket first = new Socket(at.getAddress(), at.getPort());
                    Socket second = new Socket(at.getAddress(), at.getPort())) {
                awaitOpen(guard, 2);
                try (Socket third = new Socket(at.getAddress(), at.getPort())) {
                    third.setSoTimeout(10_000);
                    assertThrows(SocketException.class, () -> third.getInputStream().read(),
                            "the connection over the cap is reset, not closed with a FIN");
                }
                assertEquals(2, pipelines.get(), "only the admitted connections got a pipeline");
                assertEquals(2, guard.open());
            }
            listener.close().sync();
        } finally {
            loops.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
        }
    }

    private static void awaitOpen(ListenerGuard guard, int open) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (guard.open() < open && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(open, guard.open(), "connections open");
    }
}
