package dev.tern.relay.transport;

import dev.tern.relay.allocation.Allocation;
import dev.tern.relay.allocation.AllocationTable;
import dev.tern.relay.codec.ChannelData;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.function.LongSupplier;

/**
 * First handler of a listening socket: relays ChannelData from clients to their peers and passes
 * everything else (STUN) on. The payload is sent in the received buffer, never copied, and the relay
 * socket is flushed once per event-loop turn ({@link BatchedFlush}).
 *
 * <p>Not sharable: one per listening socket, on its event loop. Malformed ChannelData, unknown
 * channels, clients without an allocation and expired permissions are dropped silently.
 */
public final class ClientDataHandler extends ChannelInboundHandlerAdapter {

    private final AllocationTable table;
    private final LongSupplier nanoTime;

    public ClientDataHandler(AllocationTable table, LongSupplier nanoTime) {
        this.table = table;
        this.nanoTime = nanoTime;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket packet) || !ChannelData.looksLikeChannelData(packet.content())) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf content = packet.content();
        Allocation allocation = table.get(packet.sender());
        int length = ChannelData.dataLength(content);
        if (allocation == null || length < 0) {
            packet.release();
            return;
        }
        long now = nanoTime.getAsLong();
        InetSocketAddress peer = allocation.channelPeer(ChannelData.channel(content), now);
        if (peer == null || !allocation.permitted(peer.getAddress(), now) || !allocation.admit(length)) {
            packet.release();
            return;
        }
        allocation.countToPeer(length);
        // The received buffer itself goes on, narrowed to the payload: no slice, no copy. It leaves through
        // the relay socket of the peer's family, which exists: ChannelBind refuses other families (443).
        int index = content.readerIndex() + ChannelData.HEADER_LENGTH;
        BatchedFlush.write(allocation.relayChannel(peer), new DatagramPacket(content.setIndex(index, index + length),
                peer));
    }

    /**
     * Sends {@code length} bytes of {@code buf} at {@code index} to {@code peer} through the allocation's
     * relay socket of the peer's family (dropped when it has none), if the rate limit admits them. Does
     * not take over the caller's reference.
     */
    public static void sendToPeer(Allocation allocation, ByteBuf buf, int index, int length, InetSocketAddress peer) {
        Channel relay = allocation.relayChannel(peer);
        if (relay == null || !allocation.admit(length)) {
            return;
        }
        allocation.countToPeer(length);
        BatchedFlush.write(relay, new DatagramPacket(buf.retainedSlice(index, length), peer));
    }
}
