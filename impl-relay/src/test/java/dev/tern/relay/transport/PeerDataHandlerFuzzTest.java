package dev.tern.relay.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tern.spi.Transport;
import dev.tern.relay.allocation.Allocation;
import dev.tern.relay.allocation.TestAllocations;
import dev.tern.stun.ChannelData;
import dev.tern.stun.StunAttribute;
import dev.tern.stun.StunClass;
import dev.tern.stun.StunMessage;
import dev.tern.stun.StunMethod;
import dev.tern.stun.StunParse;
import dev.tern.stun.XorAddress;
import dev.tern.relay.core.allocation.AllocationState;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Coverage-guided fuzzing of what a peer sends to a relayed socket (issue #16 point 14): the real
 * {@link PeerDataHandler} on a relay socket's pipeline (an embedded channel with the relay's own
 * {@link HeadroomRecvByteBufAllocator}, so datagrams are read into its frames as the transport reads them), for a
 * real {@link Allocation} whose client is another embedded channel.
 *
 * <p>An input is a settings byte (bit 0: the client is on TCP, bit 1: the relay socket has no headroom allocator,
 * so the handler copies), then records of {@code op, length (2 bytes), datagram}. {@code op} bits 0-2 pick the
 * sender: a peer with a channel, another port of that peer's address (permitted, no channel), a permitted peer
 * without channel, an IPv6 peer permitted, or an address never permitted; bit 3 moves the clock 301 s on before
 * the datagram (permissions expire), bit 4 refreshes the channel and every permission before it, bit 5 stalls (or
 * un-stalls) a TCP client's connection. A datagram is read as the socket reads it: cut at the allocator's limit + 1
 * (2 049 bytes), which is then over the limit. Corpus in
 * {@code src/test/resources/dev/tern/relay/transport/PeerDataHandlerFuzzTestInputs/}.
 *
 * <p>What must hold, datagram by datagram, against a model of permissions, channels and the client's state: a
 * datagram from a permitted sender, not over the limit, to a client that reads, reaches the client once, to the
 * client's address, as ChannelData with the channel's number when the sender has a channel, else as a Data
 * indication (4-byte aligned, its XOR-PEER-ADDRESS the sender) whose payload is the datagram's bytes; any other
 * reaches the client not at all; the allocation counts exactly the relayed bytes and the over-long datagrams; no
 * exception is thrown; every buffer is released.
 */
class PeerDataHandlerFuzzTest {

    private static final int LIMIT = 2048;
    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 5000);
    private static final InetSocketAddress RELAYED = new InetSocketAddress("127.0.0.1", 50000);
    private static final int CHANNEL = 0x4001;
    private static final List<InetSocketAddress> SENDERS = List.of(
            new InetSocketAddress("203.0.113.5", 7000), // channel
            new InetSocketAddress("203.0.113.5", 7001), // permitted through the channel's address, no channel
            new InetSocketAddress("198.51.100.9", 7000), // permitted, no channel
            new InetSocketAddress("2001:db8::1", 7000), // permitted IPv6, no channel
            new InetSocketAddress("192.0.2.1", 9)); // never permitted

    @FuzzTest(maxDuration = "5m")
    void everyPermittedDatagramReachesTheClientFramedAndNothingElseDoes(byte[] input) {
        if (input.length == 0) {
            return;
        }
        boolean tcp = (input[0] & 1) != 0;
        boolean headroom = (input[0] & 2) == 0;
        long[] now = {1_000_000_000L};
        EmbeddedChannel client = new EmbeddedChannel();
        client.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        PeerDataHandler handler = new PeerDataHandler(() -> now[0]);
        EmbeddedChannel relay = new EmbeddedChannel();
        if (headroom) {
            relay.config().setRecvByteBufAllocator(new HeadroomRecvByteBufAllocator(LIMIT));
        }
        relay.pipeline().addLast(handler);
        Allocation allocation = TestAllocations.of(CLIENT, tcp ? Transport.TCP : Transport.UDP, client, relay, RELAYED,
                Instant.MAX);
        handler.attach(allocation);
        permitAll(allocation, now[0]);
        long permittedUntil = now[0] + Allocation.PERMISSION_NANOS;
        boolean stalled = false;
        long relayedBytes = 0;
        long oversized = 0;
        List<ByteBuf> received = new ArrayList<>();
        List<Integer> heldBefore = new ArrayList<>();
        try {
            int at = 1;
            while (at + 3 <= input.length) {
                int op = input[at] & 0xFF;
                int length = ((input[at + 1] & 0xFF) << 8 | (input[at + 2] & 0xFF)) % (LIMIT + 64);
                at += 3;
                byte[] datagram = new byte[Math.min(length, input.length - at)];
                System.arraycopy(input, at, datagram, 0, datagram.length);
                at += datagram.length;

                InetSocketAddress sender = SENDERS.get((op & 7) % SENDERS.size());
                if ((op & 8) != 0) {
                    now[0] += TimeUnit.SECONDS.toNanos(301);
                }
                if ((op & 16) != 0) {
                    permitAll(allocation, now[0]);
                    permittedUntil = now[0] + Allocation.PERMISSION_NANOS;
                }
                if ((op & 32) != 0 && tcp) {
                    stalled = toggleStall(client, stalled);
                }
                ByteBuf content = read(relay, headroom, datagram);
                int readLength = content.readableBytes();
                received.add(content.retain());
                heldBefore.add(content.refCnt() - 1);
                relay.writeInbound(new DatagramPacket(content, RELAYED, sender));
                relay.checkException();
                client.runPendingTasks();

                boolean permitted = sender != SENDERS.get(4) && now[0] - permittedUntil < 0;
                boolean over = headroom ? readLength > LIMIT : readLength > RelayPortBinder.MAX_PEER_DATAGRAM;
                boolean relays = permitted && !over && !stalled;
                if (permitted && over) {
                    oversized++;
                }
                Object out = stalled ? null : client.readOutbound();
                if (!relays) {
                    assertNull(out, "nothing reaches the client from " + sender + " (permitted " + permitted
                            + ", over the limit " + over + ", stalled " + stalled + ")");
                } else {
                    DatagramPacket packet = assertInstanceOf(DatagramPacket.class, out, "relayed from " + sender);
                    try {
                        assertEquals(CLIENT, packet.recipient());
                        assertFramed(packet.content(), sender, datagram, readLength);
                    } finally {
                        packet.release();
                    }
                    relayedBytes += readLength;
                    assertNull(client.readOutbound(), "relayed once");
                }
                assertEquals(relayedBytes, allocation.view().traffic().bytesFromPeers(),
                        "the relayed bytes are counted");
            }
            assertEquals(oversized, allocation.drainCounters().oversizedPackets(), "over-long datagrams are counted");
        } finally {
            relay.finishAndReleaseAll();
            client.finishAndReleaseAll();
        }
        // The relay releases its one reference to what it received (a slice of the loop's receive buffer shares
        // that buffer's count, which the buffer itself holds one of, so compare with the count before the read).
        for (int i = 0; i < received.size(); i++) {
            ByteBuf buf = received.get(i);
            assertEquals(heldBefore.get(i), buf.refCnt(), "the relay released what it received");
            buf.release();
        }
    }

    /** ChannelData with the channel's number for the channel's peer, else a Data indication naming the sender. */
    private static void assertFramed(ByteBuf frame, InetSocketAddress sender, byte[] datagram, int length) {
        byte[] payload;
        if (sender.equals(SENDERS.get(0))) {
            assertEquals(CHANNEL, frame.getUnsignedShort(frame.readerIndex()));
            assertEquals(length, frame.getUnsignedShort(frame.readerIndex() + 2));
            assertEquals(ChannelData.HEADER_LENGTH + length, frame.readableBytes());
            payload = ByteBufUtil.getBytes(frame, frame.readerIndex() + ChannelData.HEADER_LENGTH, length);
        } else {
            assertEquals(0, frame.readableBytes() % 4, "a Data indication is padded to 4 bytes");
            StunParse parse = StunMessage.parse(frame.duplicate());
            StunMessage m = assertInstanceOf(StunParse.Parsed.class, parse, parse.toString()).message();
            assertEquals(StunMethod.DATA, m.method());
            assertEquals(StunClass.INDICATION, m.messageClass());
            assertEquals(sender, XorAddress.decode(m.attribute(StunAttribute.XOR_PEER_ADDRESS).orElseThrow(),
                    m.transactionId()).orElseThrow());
            payload = ByteBufUtil.getBytes(m.attribute(StunAttribute.DATA).orElseThrow());
        }
        byte[] expected = new byte[length];
        System.arraycopy(datagram, 0, expected, 0, Math.min(length, datagram.length));
        assertArrayEquals(expected, payload, "the payload is the datagram's bytes");
    }

    /** The datagram as the relay socket's transport reads it: into its allocator's buffer, cut at its size. */
    private static ByteBuf read(EmbeddedChannel relay, boolean headroom, byte[] datagram) {
        if (!headroom) {
            return PooledByteBufAllocator.DEFAULT.buffer(datagram.length).writeBytes(datagram);
        }
        ByteBuf buf = relay.unsafe().recvBufAllocHandle().allocate(PooledByteBufAllocator.DEFAULT);
        return buf.writeBytes(datagram, 0, Math.min(datagram.length, buf.writableBytes()));
    }

    private static void permitAll(Allocation allocation, long now) {
        AllocationState.BindResult bound = allocation.bind(CHANNEL, SENDERS.get(0), false, now);
        assertTrue(bound == AllocationState.BindResult.BOUND || bound == AllocationState.BindResult.REFRESHED,
                bound.name());
        assertTrue(allocation.permit(List.of(SENDERS.get(2).getAddress(), SENDERS.get(3).getAddress()), now));
    }

    /** Stalls a TCP client (an unflushed write over the high water mark) or takes the stall away. */
    private static boolean toggleStall(EmbeddedChannel client, boolean stalled) {
        if (!stalled) {
            client.write(Unpooled.wrappedBuffer(new byte[64]));
            assertTrue(!client.isWritable());
            return true;
        }
        client.flushOutbound();
        ByteBuf queued = assertInstanceOf(ByteBuf.class, client.readOutbound(), "the stalled write");
        assertEquals(64, queued.readableBytes());
        queued.release();
        assertNull(client.readOutbound(), "nothing was relayed to a stalled client");
        assertTrue(client.isWritable());
        return false;
    }
}
