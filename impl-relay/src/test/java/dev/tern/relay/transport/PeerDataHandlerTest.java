package dev.tern.relay.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.tern.relay.allocation.Allocation;
import dev.tern.relay.codec.StunAttribute;
import dev.tern.relay.codec.StunClass;
import dev.tern.relay.codec.StunMessage;
import dev.tern.relay.codec.StunMethod;
import dev.tern.relay.codec.StunParse;
import dev.tern.relay.codec.XorAddress;
import dev.tern.spi.LongTermKey;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Framing of peer data in place: the received buffer itself goes to the client, never a copy. */
class PeerDataHandlerTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 5000);
    private static final InetSocketAddress PEER = new InetSocketAddress("203.0.113.5", 7000);
    private static final InetSocketAddress RELAYED = new InetSocketAddress("127.0.0.1", 50000);

    private static ByteBuf received(byte[] payload) {
        RecvByteBufAllocator.Handle handle = new HeadroomRecvByteBufAllocator(2048).newHandle();
        ByteBuf buf = handle.allocate(PooledByteBufAllocator.DEFAULT);
        assertEquals(HeadroomRecvByteBufAllocator.HEADROOM, buf.readerIndex());
        return buf.writeBytes(payload);
    }

    private static Allocation allocation(EmbeddedChannel client, EmbeddedChannel relay) {
        return allocation(client, relay, dev.tern.api.Transport.UDP);
    }

    private static Allocation allocation(EmbeddedChannel client, EmbeddedChannel relay, dev.tern.api.Transport t) {
        return new Allocation("@a:x", "1:@a:x", new LongTermKey(new byte[16], new byte[32]), false, CLIENT, client,
                relay, RELAYED, Instant.EPOCH, Instant.EPOCH, null, 10, t);
    }

    @Test
    void dropsPeerDataForATcpClientThatStoppedReadingInsteadOfQueueingIt() {
        EmbeddedChannel client = new EmbeddedChannel();
        client.config().setWriteBufferWaterMark(new io.netty.channel.WriteBufferWaterMark(8, 16));
        client.write(io.netty.buffer.Unpooled.wrappedBuffer(new byte[64])); // queued, never flushed: a stalled reader
        assertFalse(client.isWritable());
        PeerDataHandler handler = new PeerDataHandler(() -> 0L);
        EmbeddedChannel relay = new EmbeddedChannel(handler);
        Allocation allocation = allocation(client, relay, dev.tern.api.Transport.TCP);
        handler.attach(allocation);
        allocation.bind(0x4001, PEER, 0);
        ByteBuf payload = received(new byte[] {1, 2, 3});
        relay.writeInbound(new DatagramPacket(payload, RELAYED, PEER));
        assertEquals(0, payload.refCnt(), "dropped and released");
        assertEquals(0, allocation.view().bytesFromPeers());
        client.flushOutbound();
        ByteBuf stalled = client.readOutbound();
        stalled.release();
        assertNull(client.readOutbound(), "nothing was queued behind the stalled write");
        ByteBuf next = received(new byte[] {4, 5, 6});
        relay.writeInbound(new DatagramPacket(next, RELAYED, PEER));
        client.runPendingTasks(); // the batched flush at the end of the loop's turn
        DatagramPacket out = client.readOutbound();
        assertSame(next, out.content(), "relayed again once the client reads");
        out.release();
        relay.finishAndReleaseAll();
        client.finishAndReleaseAll();
    }

    @Test
    void framesChannelDataInTheHeadroomOfTheReceivedBuffer() {
        EmbeddedChannel client = new EmbeddedChannel();
        PeerDataHandler handler = new PeerDataHandler(() -> 0L);
        EmbeddedChannel relay = new EmbeddedChannel(handler);
        Allocation allocation = allocation(client, relay);
        handler.attach(allocation);
        allocation.bind(0x4001, PEER, 0);
        ByteBuf payload = received(new byte[] {1, 2, 3, 4, 5});
        relay.writeInbound(new DatagramPacket(payload, RELAYED, PEER));
        client.runPendingTasks(); // the batched flush at the end of the loop's turn
        DatagramPacket out = client.readOutbound();
        try {
            assertSame(payload, out.content(), "no copy: the received buffer is sent");
            assertEquals(CLIENT, out.recipient());
            assertEquals("400100050102030405", ByteBufUtil.hexDump(out.content()));
        } finally {
            out.release();
        }
    }

    @Test
    void framesDataIndicationsInPlaceWithPadding() {
        EmbeddedChannel client = new EmbeddedChannel();
        PeerDataHandler handler = new PeerDataHandler(() -> 0L);
        EmbeddedChannel relay = new EmbeddedChannel(handler);
        Allocation allocation = allocation(client, relay);
        handler.attach(allocation);
        allocation.permit(List.of(PEER.getAddress()), 0);
        ByteBuf payload = received(new byte[] {9, 8, 7});
        relay.writeInbound(new DatagramPacket(payload, RELAYED, PEER));
        client.runPendingTasks(); // the batched flush at the end of the loop's turn
        DatagramPacket out = client.readOutbound();
        try {
            assertSame(payload, out.content());
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

    @Test
    void dropsAndReleasesDataFromPeersWithoutPermission() {
        EmbeddedChannel client = new EmbeddedChannel();
        PeerDataHandler handler = new PeerDataHandler(() -> 0L);
        EmbeddedChannel relay = new EmbeddedChannel(handler);
        handler.attach(allocation(client, relay));
        ByteBuf payload = received(new byte[] {1});
        assertFalse(relay.writeInbound(new DatagramPacket(payload, RELAYED, PEER)));
        assertNull(client.readOutbound());
        assertEquals(0, payload.refCnt());
        relay.finishAndReleaseAll();
    }
}
