package dev.tern.relay.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.UncheckedBooleanSupplier;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Receive buffers with headroom, batches for recvmmsg, and reading that stops when a read comes back short. */
class DatagramRecvByteBufAllocatorTest {

    private static RecvByteBufAllocator.ExtendedHandle handle(RecvByteBufAllocator allocator) {
        RecvByteBufAllocator.ExtendedHandle handle = (RecvByteBufAllocator.ExtendedHandle) allocator.newHandle();
        handle.reset(new EmbeddedChannel().config());
        return handle;
    }

    @Test
    void leavesHeadroomInFrontOfTheDatagram() {
        ByteBuf buf = handle(DatagramRecvByteBufAllocator.withHeadroom(2048)).allocate(PooledByteBufAllocator.DEFAULT);
        try {
            assertEquals(DatagramRecvByteBufAllocator.HEADROOM, buf.readerIndex());
            assertEquals(DatagramRecvByteBufAllocator.HEADROOM, buf.writerIndex());
            assertTrue(buf.writableBytes() >= 2048);
        } finally {
            buf.release();
        }
    }

    @Test
    void aRelaySocketReadsOneDatagramPerWakeup() {
        RecvByteBufAllocator.ExtendedHandle handle = handle(DatagramRecvByteBufAllocator.withHeadroom(2048));
        handle.attemptedBytesRead(2048);
        handle.lastBytesRead(2048);
        handle.incMessagesRead(1);
        assertFalse(handle.continueReading(UncheckedBooleanSupplier.TRUE_SUPPLIER));
    }

    @Test
    void readsBatchesUntilOneComesBackShortEvenWhenTheTransportSaysMaybeMore() {
        RecvByteBufAllocator.ExtendedHandle handle = handle(DatagramRecvByteBufAllocator.batches(100, 4, 64));
        ByteBuf buf = handle.allocate(PooledByteBufAllocator.DEFAULT);
        assertEquals(400, buf.writableBytes(), "room for four datagrams");
        buf.release();
        handle.attemptedBytesRead(400);
        handle.lastBytesRead(400);
        handle.incMessagesRead(4);
        assertTrue(handle.continueReading(UncheckedBooleanSupplier.TRUE_SUPPLIER), "a full batch: maybe more");
        handle.attemptedBytesRead(400);
        handle.lastBytesRead(200);
        handle.incMessagesRead(2);
        assertFalse(handle.continueReading(UncheckedBooleanSupplier.TRUE_SUPPLIER), "a short batch: the socket is empty");
    }

    @Test
    void readsAtMostMaxDatagramsPerWakeup() {
        RecvByteBufAllocator.ExtendedHandle handle = handle(DatagramRecvByteBufAllocator.batches(100, 4, 8));
        for (int i = 0; i < 2; i++) {
            handle.attemptedBytesRead(400);
            handle.lastBytesRead(400);
            handle.incMessagesRead(4);
        }
        assertFalse(handle.continueReading(UncheckedBooleanSupplier.TRUE_SUPPLIER));
    }

    @Test
    void aListenerReceivesEveryDatagramWhole() throws Exception {
        receivesEveryDatagramWhole(EventLoops.nio());
        assumeTrue(Epoll.isAvailable(), "recvmmsg needs epoll");
        receivesEveryDatagramWhole(EventLoops.detect());
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
                            received.add(msg.content().toString(java.nio.charset.StandardCharsets.US_ASCII));
                            all.countDown();
                        }
                    });
            Channel listener = transport.receiveOnListener(bootstrap, 64).bind(loopback, 0).sync().channel();
            for (int i = 0; i < count; i++) {
                byte[] data = ("datagram-" + i + "-" + "x".repeat(i)).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
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
