package dev.tern.relay.transport;

import dev.tern.spi.Transport;
import dev.tern.relay.allocation.Allocation;
import dev.tern.stun.ChannelData;
import dev.tern.stun.StunAttribute;
import dev.tern.stun.StunClass;
import dev.tern.stun.StunMessage;
import dev.tern.stun.StunMessageWriter;
import dev.tern.stun.StunMethod;
import dev.tern.stun.TransactionId;
import dev.tern.stun.XorAddress;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.function.LongSupplier;

/**
 * The handler of an allocation's relay socket: relays datagrams from permitted peers to the client,
 * as ChannelData when a channel is bound to the peer, else as a Data indication. The datagram is copied once,
 * out of the event loop's receive buffer ({@link HeadroomRecvByteBufAllocator}), into a frame of its own size with
 * headroom, where the header is written in front of it (on epoll and NIO alike), and the client's socket is
 * flushed once per event-loop turn ({@link BatchedFlush}): the datagrams of many relay sockets for one listener
 * leave together.
 *
 * <p>Data another allocation of the same relay sends to this one's relayed address comes in the same way, handed
 * over by {@link ClientDataHandler} from that allocation's relayed address, never through the network.
 *
 * <p>Not sharable; runs on the client's event loop. Datagrams from peers without a permission, longer
 * than {@link RelayPortBinder#MAX_PEER_DATAGRAM} (counted), over the rate limit, or for a TCP/TLS client
 * that does not read them fast enough, are dropped.
 */
public final class PeerDataHandler extends ChannelInboundHandlerAdapter {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PeerDataHandler.class);

    private final LongSupplier nanoTime;
    private Allocation allocation;
    private HeadroomRecvByteBufAllocator frames;

    /** A handler that drops everything until {@link #attach} gives it its allocation. */
    public PeerDataHandler(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Sets the allocation once the relay socket is bound; call on the event loop. */
    public void attach(Allocation owner) {
        this.allocation = owner;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        frames = ctx.channel().config().getRecvByteBufAllocator() instanceof HeadroomRecvByteBufAllocator h ? h : null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket packet)) {
            io.netty.util.ReferenceCountUtil.release(msg);
            return;
        }
        ByteBuf content = packet.content();
        InetSocketAddress peer = packet.sender();
        long now = nanoTime.getAsLong();
        int length = content.readableBytes();
        if (allocation == null || allocation.closed() || !allocation.permitted(peer.getAddress(), now)
                || oversized(length) || clientTooSlow() || !allocation.admitFromPeer(length)) {
            packet.release();
            return;
        }
        allocation.countFromPeer(length);
        int channel = allocation.channelFor(peer, now);
        ByteBuf frame = copyBehindHeadroom(content, ctx.alloc());
        ByteBuf framed;
        try {
            framed = channel >= 0 ? channelData(frame, channel, length) : dataIndication(frame, peer, length);
        } catch (RuntimeException e) {
            frame.release();
            throw e;
        }
        BatchedFlush.write(allocation.clientChannel(), new DatagramPacket(framed, allocation.client()));
    }

    /**
     * Whether the datagram is over the relay socket's limit (it may have been cut short by the socket): it
     * is then dropped whole and counted, never relayed truncated.
     */
    private boolean oversized(int length) {
        if (frames == null ? length <= RelayPortBinder.MAX_PEER_DATAGRAM : !frames.oversized(length)) {
            return false;
        }
        allocation.dropOversized();
        return true;
    }

    /**
     * Whether a TCP/TLS client has stopped reading: its connection's outbound buffer is over the high
     * water mark. Its media is then dropped, as a congested UDP path would, instead of queued without
     * bound. A UDP listener is never held back this way.
     */
    private boolean clientTooSlow() {
        return allocation.transport() != Transport.UDP && !allocation.clientChannel().isWritable();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A relay socket survives ICMP errors and bad packets; the allocation's lifetime decides when it closes.
        LOG.debug("relay socket error", cause);
    }

    /** Writes the ChannelData header into the headroom of {@code content}, which starts at least 4 bytes in. */
    private static ByteBuf channelData(ByteBuf content, int channel, int length) {
        int start = content.readerIndex() - ChannelData.HEADER_LENGTH;
        ChannelData.writeHeader(content, start, channel, length);
        return content.readerIndex(start);
    }

    /** Writes a Data indication's header into the headroom of {@code content} and pads it after. */
    private static ByteBuf dataIndication(ByteBuf content, InetSocketAddress peer, int length) {
        int header = StunMessage.HEADER_LENGTH + 4 + XorAddress.valueLength(peer.getAddress()) + 4;
        int start = content.readerIndex() - header;
        ByteBuf head = content.duplicate().setIndex(start, start);
        StunMessageWriter.start(head, StunMethod.DATA, StunClass.INDICATION, TransactionId.random())
                .xorAddress(StunAttribute.XOR_PEER_ADDRESS, peer);
        head.writeShort(StunAttribute.DATA).writeShort(length);
        content.writeZero((4 - (length & 3)) & 3);
        content.setShort(start + 2, content.writerIndex() - start - StunMessage.HEADER_LENGTH);
        return content.readerIndex(start);
    }

    /**
     * Copies the datagram once into a frame of its own size from the channel's allocator ({@code alloc}): behind
     * {@link HeadroomRecvByteBufAllocator#HEADROOM} bytes for the header, with
     * {@link HeadroomRecvByteBufAllocator#TAILROOM} after it for padding; and releases it. The relay socket read it
     * into its event loop's {@link ReceiveBuffer}, which the next read reuses (a buffer from elsewhere is copied
     * the same way); copying a datagram out costs less than a fresh frame with room for the largest datagram per
     * read.
     */
    private static ByteBuf copyBehindHeadroom(ByteBuf content, ByteBufAllocator alloc) {
        int room = HeadroomRecvByteBufAllocator.HEADROOM;
        int length = content.readableBytes();
        ByteBuf copy = alloc.ioBuffer(room + length + HeadroomRecvByteBufAllocator.TAILROOM);
        copy.setIndex(room, room).writeBytes(content, content.readerIndex(), length);
        content.release();
        return copy;
    }
}
