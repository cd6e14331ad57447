package dev.tern.relay.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** How the relay's UDP sockets receive. */
class EventLoopsTest {

    @Test
    void aListenerReadsSeveralDatagramsPerWakeupThoughEachIsShorterThanItsBuffer() {
        Bootstrap bootstrap = EventLoops.nio().receiveOnListener(new Bootstrap(), 4096);
        RecvByteBufAllocator allocator = (RecvByteBufAllocator) bootstrap.config().options()
                .get(ChannelOption.RCVBUF_ALLOCATOR);
        RecvByteBufAllocator.Handle handle = allocator.newHandle();
        handle.reset(new EmbeddedChannel().config());
        int reads = 0;
        do {
            handle.attemptedBytesRead(4096);
            handle.lastBytesRead(200);
            handle.incMessagesRead(1);
            reads++;
        } while (handle.continueReading());
        assertEquals(EventLoops.LISTENER_READS_PER_WAKEUP, reads);
    }

    @Test
    void aListenerReceivesEveryDatagramWholeOnBothTransports() throws Exception {
        receivesEveryDatagramWhole(EventLoops.nio());
        receivesEveryDatagramWhole(EventLoops.detect());
    }

    @Test
    void anEpollListenerReadsAtMostItsBatchPerWakeupAndLeavesTheRestForTheNext() throws Exception {
        EventLoops transport = EventLoops.detect();
        assertEquals("epoll", transport.name(), "the relay's machines have epoll");
        InetAddress loopback = InetAddress.getLoopbackAddress();
        EventLoopGroup group = transport.newGroup(1);
        int count = EventLoops.LISTENER_READS_PER_WAKEUP + 4;
        List<List<String>> wakeups = new CopyOnWriteArrayList<>();
        List<String> current = new ArrayList<>();
        CountDownLatch twoWakeups = new CountDownLatch(2);
        try (DatagramSocket sender = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
            Bootstrap bootstrap = new Bootstrap().group(group).channelFactory(transport.datagramChannels(loopback))
                    .option(ChannelOption.AUTO_READ, false)
                    .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
                            assertEquals(sender.getLocalPort(), msg.sender().getPort());
                            current.add(msg.content().toString(StandardCharsets.US_ASCII));
                        }

                        @Override
                        public void channelReadComplete(ChannelHandlerContext ctx) {
                            wakeups.add(List.copyOf(current));
                            current.clear();
                            twoWakeups.countDown();
                        }
                    });
            Channel listener = transport.receiveOnListener(bootstrap, 64).bind(loopback, 0).sync().channel();
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String text = "datagram-" + i + "-" + "x".repeat(i);
                sent.add(text);
                byte[] data = text.getBytes(StandardCharsets.US_ASCII);
                sender.send(new java.net.DatagramPacket(data, data.length, listener.localAddress()));
            }
            listener.read();
            assertTrue(waitFor(wakeups, 1), "a first wakeup");
            listener.read();
            assertTrue(twoWakeups.await(10, TimeUnit.SECONDS), "a second wakeup: " + wakeups);
            assertEquals(sent.subList(0, EventLoops.LISTENER_READS_PER_WAKEUP), wakeups.get(0));
            assertEquals(sent.subList(EventLoops.LISTENER_READS_PER_WAKEUP, count), wakeups.get(1));
            listener.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void aDatagramAListenerHandlerStillHoldsIsNotOverwrittenByTheNextReads() throws Exception {
        EventLoops transport = EventLoops.detect();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        EventLoopGroup group = transport.newGroup(1);
        int count = 3 * EventLoops.LISTENER_READS_PER_WAKEUP;
        List<DatagramPacket> held = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(count);
        try (DatagramSocket sender = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
            Bootstrap bootstrap = new Bootstrap().group(group).channelFactory(transport.datagramChannels(loopback))
                    .handler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            held.add((DatagramPacket) msg); // kept, as a relay socket keeps one until its flush
                            all.countDown();
                        }
                    });
            Channel listener = transport.receiveOnListener(bootstrap, 64).bind(loopback, 0).sync().channel();
            for (int i = 0; i < count; i++) {
                byte[] data = ("held-" + i).getBytes(StandardCharsets.US_ASCII);
                sender.send(new java.net.DatagramPacket(data, data.length, listener.localAddress()));
            }
            assertTrue(all.await(10, TimeUnit.SECONDS), held.size() + " received");
            for (int i = 0; i < count; i++) {
                assertEquals("held-" + i, held.get(i).content().toString(StandardCharsets.US_ASCII));
            }
            held.forEach(DatagramPacket::release);
            listener.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static boolean waitFor(List<?> list, int size) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (list.size() < size) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    private static void receivesEveryDatagramWhole(EventLoops transport) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        EventLoopGroup group = transport.newGroup(1);
        int count = 50;
        Set<String> received = ConcurrentHashMap.newKeySet();
        CountDownLatch all = new CountDownLatch(count);
        try (DatagramSocket sender = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
            Bootstrap bootstrap = new Bootstrap().group(group).channelFactory(transport.datagramChannels(loopback))
                    .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
                            received.add(msg.content().toString(StandardCharsets.US_ASCII));
                            all.countDown();
                        }
                    });
            Channel listener = transport.receiveOnListener(bootstrap, 64).bind(loopback, 0).sync().channel();
            for (int i = 0; i < count; i++) {
                byte[] data = ("datagram-" + i + "-" + "x".repeat(i)).getBytes(StandardCharsets.US_ASCII);
                sender.send(new java.net.DatagramPacket(data, data.length, listener.localAddress()));
            }
            assertTrue(all.await(10, TimeUnit.SECONDS), transport.name() + ": " + received.size() + " received");
            for (int i = 0; i < count; i++) {
                assertTrue(received.contains("datagram-" + i + "-" + "x".repeat(i)), transport.name() + " " + i);
            }
            listener.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
