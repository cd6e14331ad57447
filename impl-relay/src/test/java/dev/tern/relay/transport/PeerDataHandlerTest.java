package dev.tern.relay.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tern.relay.allocation.Allocation;
import dev.tern.relay.allocation.TestAllocations;
import dev.tern.stun.StunAttribute;
import dev.tern.stun.StunClass;
import dev.tern.stun.StunMessage;
import dev.tern.stun.StunMethod;
import dev.tern.stun.StunParse;
import dev.tern.stun.XorAddress;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Framing of peer data: each datagram is read into the event loop's receive buffer and copied once into a frame of
 * its own size, with the header written in front of it in place.
 */
class PeerDataHandlerTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 5000);
    private static final InetSocketAddress PEER = new InetSocketAddress("203.0.113.5", 7000);
    private static final InetSocketAddress RELAYED = new InetSocketAddress("127.0.0.1", 50000);

    /** A relay socket as an embedded channel: its own frame allocator, then the handler. */
    private static EmbeddedChannel relay(PeerDataHandler handler) {
        EmbeddedChannel relay = new EmbeddedChannel();
        relay.config().setRecvByteBufAllocator(new HeadroomRecvByteBufAllocator(2048));
        relay.pipeline().addLast(handler);
        return relay;
    }

    private final java.util.Map<EmbeddedChannel, Allocation> allocations = new java.util.HashMap<>();

    /** A relay socket with its handler attached to a UDP allocation for {@code client}. */
    private EmbeddedChannel relayFor(EmbeddedChannel client) {
        PeerDataHandler handler = new PeerDataHandler(() -> 0L);
        EmbeddedChannel relay = relay(handler);
        Allocation allocation = allocation(client, relay);
        handler.attach(allocation);
        allocations.put(relay, allocation);
        return relay;
    }

    private Allocation allocationOf(EmbeddedChannel relay) {
        return allocations.get(relay);
    }

    /** A datagram as the relay socket's transport reads it: into a buffer from the socket's allocator. */
    private static ByteBuf received(EmbeddedChannel relay, byte[] payload) {
        RecvByteBufAllocator.Handle handle = relay.unsafe().recvBufAllocHandle();
        ByteBuf buf = handle.allocate(PooledByteBufAllocator.DEFAULT);
        return buf.writeBytes(payload);
    }

    private static long firstByte(ByteBuf buf) {
        return buf.memoryAddress() + buf.readerIndex();
    }

    /**
     * Asserts that the relay socket's next read gets the memory at {@code at}, which it does only when nothing holds
     * the datagram read there before: the handler released it.
     */
    private static void assertReleased(EmbeddedChannel relay, long at, String message) {
        ByteBuf next = received(relay, new byte[0]);
        try {
            assertEquals(at, firstByte(next), message);
        } finally {
            next.release();
        }
    }

    private static Allocation allocation(EmbeddedChannel client, EmbeddedChannel relay) {
        return allocation(client, relay, dev.tern.spi.Transport.UDP);
    }

    private static Allocation allocation(EmbeddedChannel client, EmbeddedChannel relay, dev.tern.spi.Transport t) {
        return TestAllocations.of(CLIENT, t, client, relay, RELAYED, Instant.EPOCH);
    }

    @Test
    void dropsPeerDataForATcpClientThatStoppedReadingInsteadOfQueueingIt() {
        EmbeddedChannel client = new EmbeddedChannel();
        client.config().setWriteBufferWaterMark(new io.netty.channel.WriteBufferWaterMark(8, 16));
        client.write(io.netty.buffer.Unpooled.wrappedBuffer(new byte[64])); // queued, never flushed: a stalled reader
        assertFalse(client.isWritable());
        PeerDataHandler handler = new PeerDataHandler(() -> 0L);
        EmbeddedChannel relay = relay(handler);
        Allocation allocation = allocation(client, relay, dev.tern.spi.Transport.TCP);
        handler.attach(allocation);
        allocation.bind(0x4001, PEER, false, 0);
        ByteBuf payload = received(relay, new byte[] {1, 2, 3});
        long payloadAt = firstByte(payload);
        relay.writeInbound(new DatagramPacket(payload, RELAYED, PEER));
        assertReleased(relay, payloadAt, "dropped and released");
        assertEquals(0, allocation.view().traffic().bytesFromPeers());
        client.flushOutbound();
        ByteBuf stalled = client.readOutbound();
        stalled.release();
        assertNull(client.readOutbound(), "nothing was queued behind the stalled write");
        ByteBuf next = received(relay, new byte[] {4, 5, 6});
        relay.writeInbound(new DatagramPacket(next, RELAYED, PEER));
        client.runPendingTasks(); // the batched flush at the end of the loop's turn
        DatagramPacket out = client.readOutbound();
        assertEquals("40010003040506", ByteBufUtil.hexDump(out.content()), "relayed again once the client reads");
        out.release();
        relay.finishAndReleaseAll();
        client.finishAndReleaseAll();
    }

    @Test
    void framesChannelDataInTheHeadroomOfAFrameOfTheDatagramsSizeAndFreesTheReceiveBuffer() {
        EmbeddedChannel client = new EmbeddedChannel();
        EmbeddedChannel relay = relayFor(client);
        allocationOf(relay).bind(0x4001, PEER, false, 0);
        ByteBuf payload = received(relay, new byte[] {1, 2, 3, 4, 5});
        long receivedAt = firstByte(payload);
        relay.writeInbound(new DatagramPacket(payload, RELAYED, PEER));
        client.runPendingTasks(); // the batched flush at the end of the loop's turn
        DatagramPacket out = client.readOutbound();
        try {
            assertEquals(CLIENT, out.recipient());
            assertEquals("400100050102030405", ByteBufUtil.hexDump(out.content()));
            assertEquals(HeadroomRecvByteBufAllocator.HEADROOM - 4, out.content().readerIndex(),
                    "the header written in the frame's headroom, in front of the payload");
            assertEquals(HeadroomRecvByteBufAllocator.HEADROOM + 5 + HeadroomRecvByteBufAllocator.TAILROOM,
                    out.content().capacity(), "a frame of the datagram's size, not of the largest datagram");
            assertReleased(relay, receivedAt, "the received slice is released: the next read reuses its memory");
        } finally {
            out.release();
        }
    }

    @Test
    void readsIntoFreshMemoryWhileAHandlerStillHoldsTheLastDatagram() {
        EmbeddedChannel relay = relay(new PeerDataHandler(() -> 0L));
        ByteBuf kept = received(relay, new byte[] {1, 2, 3});
        ByteBuf next = received(relay, new byte[] {4, 5, 6});
        try {
            assertFalse(firstByte(kept) == firstByte(next), "a datagram still held is never overwritten");
            assertEquals("010203", ByteBufUtil.hexDump(kept));
        } finally {
            kept.release();
            next.release();
            relay.finishAndReleaseAll();
        }
    }

    @Test
    void framesDataIndicationsInPlaceWithPadding() {
        EmbeddedChannel client = new EmbeddedChannel();
        EmbeddedChannel relay = relayFor(client);
        allocationOf(relay).permit(List.of(PEER.getAddress()), 0);
        ByteBuf payload = received(relay, new byte[] {9, 8, 7});
        relay.writeInbound(new DatagramPacket(payload, RELAYED, PEER));
        client.runPendingTasks(); // the batched flush at the end of the loop's turn
        DatagramPacket out = client.readOutbound();
        try {
            assertEquals(HeadroomRecvByteBufAllocator.HEADROOM - 20 - 12 - 4, out.content().readerIndex(),
                    "the header written in the frame's headroom");
            assertEquals(20 + 12 + 4 + 4, out.content().readableBytes(), "padded to 4 bytes in the frame's tailroom");
            StunMessage m = ((StunParse.Parsed) StunMessage.parse(out.content())).message();
            assertEquals(StunMethod.DATA, m.method());
            assertEquals(StunClass.INDICATION, m.messageClass());
            assertEquals(PEER, XorAddress.decode(m.attribute(StunAttribute.XOR_PEER_ADDRESS).orElseThrow(),
                    m.transactionId()).orElseThrow());
            assertEquals("090807", ByteBufUtil.hexDump(m.attribute(StunAttribute.DATA).orElseThrow()));
        } finally {
            out.release();
        }
    }

    /**
     * Real sockets on loopback, on epoll (when present) and NIO: a relay socket bound as the relay binds
     * it receives peer datagrams of every size, including those shorter than the ChannelData header
     * and the largest it relays whole, each into the same memory, which the loop's other relay sockets
     * read into as well, and the client gets each as ChannelData in a frame of the datagram's size.
     */
    @Test
    void relaysPeerDatagramsOfEverySizeThroughTheLoopsOneReceiveBufferOnBothTransports() throws Exception {
        relaysThroughOneReceiveBuffer(EventLoops.nio());
        relaysThroughOneReceiveBuffer(EventLoops.detect());
    }

    private static void relaysThroughOneReceiveBuffer(EventLoops transport) throws Exception {
        java.net.InetAddress loopback = java.net.InetAddress.getLoopbackAddress();
        io.netty.channel.EventLoopGroup group = transport.newGroup(1);
        java.util.concurrent.BlockingQueue<Long> receivedAt = new java.util.concurrent.LinkedBlockingQueue<>();
        java.util.concurrent.BlockingQueue<Integer> sentCapacity = new java.util.concurrent.LinkedBlockingQueue<>();
        try (java.net.DatagramSocket client = new java.net.DatagramSocket(new InetSocketAddress(loopback, 0));
                java.net.DatagramSocket peer = new java.net.DatagramSocket(new InetSocketAddress(loopback, 0))) {
            client.setSoTimeout(5000);
            io.netty.channel.EventLoop loop = group.next();
            io.netty.channel.Channel listener = new io.netty.bootstrap.Bootstrap().group(loop)
                    .channelFactory(transport.datagramChannels(loopback))
                    .handler(new io.netty.channel.ChannelOutboundHandlerAdapter() {
                        @Override
                        public void write(ChannelHandlerContext ctx, Object msg, io.netty.channel.ChannelPromise p) {
                            sentCapacity.add(((DatagramPacket) msg).content().capacity());
                            ctx.write(msg, p);
                        }
                    })
                    .bind(loopback, 0).sync().channel();
            RelayPortBinder binder = new RelayPortBinder(transport, loopback, 40000, 60000);
            io.netty.channel.Channel relay = binder.bind(loop, false).sync().getNow();
            io.netty.channel.Channel other = binder.bind(loop, false).sync().getNow();
            PeerDataHandler handler = new PeerDataHandler(System::nanoTime);
            Allocation allocation = TestAllocations.of((InetSocketAddress) client.getLocalSocketAddress(),
                    dev.tern.spi.Transport.UDP, listener, relay, (InetSocketAddress) relay.localAddress(), Instant.MAX);
            io.netty.channel.ChannelInboundHandlerAdapter recorder = new io.netty.channel.ChannelInboundHandlerAdapter() {
                @Override
                public boolean isSharable() {
                    return true;
                }

                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    receivedAt.add(firstByte(((DatagramPacket) msg).content()));
                    ctx.fireChannelRead(msg);
                }
            };
            loop.submit(() -> {
                handler.attach(allocation);
                allocation.bind(0x4001, (InetSocketAddress) peer.getLocalSocketAddress(), false, System.nanoTime());
                RelayPortBinder.install(relay, handler);
                relay.pipeline().addFirst(recorder);
                other.pipeline().addFirst(recorder); // then its handler that drops everything
            }).sync();
            peer.send(new java.net.DatagramPacket(new byte[] {1}, 1, other.localAddress()));
            Long bufferAt = receivedAt.poll(5, TimeUnit.SECONDS);
            assertNotNull(bufferAt, transport.name() + ": the other relay socket received nothing");
            for (int size : new int[] {1, 2, 3, 4, 5, 160, 1200, 4097, RelayPortBinder.MAX_PEER_DATAGRAM}) {
                byte[] payload = new byte[size];
                java.util.Arrays.fill(payload, (byte) size);
                peer.send(new java.net.DatagramPacket(payload, size, relay.localAddress()));
                java.net.DatagramPacket got = new java.net.DatagramPacket(new byte[65536], 65536);
                client.receive(got);
                byte[] expected = new byte[4 + size];
                expected[0] = 0x40;
                expected[1] = 0x01;
                expected[2] = (byte) (size >> 8);
                expected[3] = (byte) size;
                System.arraycopy(payload, 0, expected, 4, size);
                assertEquals(ByteBufUtil.hexDump(expected),
                        ByteBufUtil.hexDump(got.getData(), 0, got.getLength()), transport.name() + " " + size);
                assertEquals(bufferAt, receivedAt.take(),
                        transport.name() + " " + size + ": read into the receive buffer the other socket read into");
                assertEquals(HeadroomRecvByteBufAllocator.HEADROOM + size + HeadroomRecvByteBufAllocator.TAILROOM,
                        sentCapacity.take(), transport.name() + " " + size + ": a frame of the datagram's size");
            }
            // One byte over the limit fills the receive buffer's spare byte: dropped whole, whichever transport read it.
            byte[] tooLong = new byte[RelayPortBinder.MAX_PEER_DATAGRAM + 1];
            peer.send(new java.net.DatagramPacket(tooLong, tooLong.length, relay.localAddress()));
            peer.send(new java.net.DatagramPacket(new byte[] {9, 9, 9}, 3, relay.localAddress()));
            java.net.DatagramPacket got = new java.net.DatagramPacket(new byte[65536], 65536);
            client.receive(got);
            assertEquals("4001000309090900".substring(0, 14), ByteBufUtil.hexDump(got.getData(), 0, got.getLength()),
                    transport.name() + ": the datagram over the limit is not relayed");
            assertEquals(1L, loop.submit(() -> allocation.drainCounters().oversizedPackets()).get(), transport.name());
            relay.close().sync();
            other.close().sync();
            listener.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void copiesOnceADatagramThatWasNotReadIntoOneOfTheSocketsFrames() {
        EmbeddedChannel client = new EmbeddedChannel();
        EmbeddedChannel relay = relayFor(client);
        allocationOf(relay).bind(0x4001, PEER, false, 0);
        ByteBuf elsewhere = io.netty.buffer.Unpooled.directBuffer(8).writeBytes(new byte[] {7, 7});
        relay.writeInbound(new DatagramPacket(elsewhere, RELAYED, PEER));
        client.runPendingTasks();
        DatagramPacket out = client.readOutbound();
        try {
            assertEquals(0, elsewhere.refCnt(), "the original is released");
            assertEquals("400100020707", ByteBufUtil.hexDump(out.content()));
        } finally {
            out.release();
        }
    }

    @Test
    void dropsAndReleasesDataFromPeersWithoutPermission() {
        EmbeddedChannel client = new EmbeddedChannel();
        EmbeddedChannel relay = relayFor(client);
        ByteBuf payload = received(relay, new byte[] {1});
        long payloadAt = firstByte(payload);
        assertFalse(relay.writeInbound(new DatagramPacket(payload, RELAYED, PEER)));
        assertNull(client.readOutbound());
        assertReleased(relay, payloadAt, "dropped and released");
        relay.finishAndReleaseAll();
    }
}
