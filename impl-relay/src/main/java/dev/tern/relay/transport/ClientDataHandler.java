package dev.tern.relay.transport;

import dev.tern.relay.allocation.Allocation;
import dev.tern.relay.allocation.AllocationTable;
import dev.tern.relay.core.allocation.ChannelBinding;
import dev.tern.relay.allocation.OwnAddresses;
import dev.tern.stun.ChannelData;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;

/**
 * First handler of a listening socket: relays ChannelData from clients to their peers and passes
 * everything else (STUN) on. The payload is sent in the received buffer, never copied. The relay sockets
 * written while the listening socket reads one batch of datagrams (one {@code recvmmsg} on epoll) are
 * flushed together when that read completes ({@link #channelReadComplete}): no task per datagram on the
 * event loop's queue, as one {@link BatchedFlush} per relay socket would cost.
 *
 * <p>Data for the relayed address of a live allocation of this relay is never sent (#16 point 12): it is handed
 * over to that allocation's relay socket inside the relay (see {@link OwnAddresses}).
 *
 * <p>Not sharable: one per listening socket, on its event loop. Malformed ChannelData, unknown
 * channels, clients without an allocation and expired permissions are dropped silently.
 */
public final class ClientDataHandler extends ChannelInboundHandlerAdapter {

    private final AllocationTable table;
    private final OwnAddresses own;
    private final LongSupplier nanoTime;
    /**
     * The relay sockets written since the listening socket's read began, flushed when it completes; holds at most
     * one entry per datagram of that read, and is emptied after every read.
     */
    private final List<Channel> unflushed = new ArrayList<>();

    public ClientDataHandler(AllocationTable table, OwnAddresses own, LongSupplier nanoTime) {
        this.table = table;
        this.own = own;
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
        ChannelBinding channel = allocation.boundChannel(ChannelData.channel(content), now);
        if (channel == null || !allocation.permitted(channel.peer().getAddress(), now)) {
            packet.release();
            return;
        }
        // The received buffer itself goes on, narrowed to the payload: no slice, no copy.
        int index = content.readerIndex() + ChannelData.HEADER_LENGTH;
        ByteBuf payload = content.setIndex(index, index + length);
        // A channel to a live allocation's relayed address: handed over. Any other channel was accepted at
        // ChannelBind (never to a listener), so it is sent.
        if (channel.toRelayedAddress()) {
            toOwnAddress(allocation, own, payload, channel.peer(), this);
        } else {
            send(allocation, payload, channel.peer(), this);
        }
    }

    /** Flushes the relay sockets this read wrote to, then passes the event on. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flushWritten();
        ctx.fireChannelReadComplete();
    }

    /** A socket closing in the middle of a read (its read never completes) still sends what it relayed. */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        flushWritten();
        ctx.fireChannelInactive();
    }

    private void flushWritten() {
        List<Channel> written = unflushed;
        for (int i = 0, n = written.size(); i < n; i++) {
            written.get(i).flush();
        }
        written.clear();
    }

    /**
     * Writes {@code msg} to {@code relay} and remembers to flush it when the read completes; a relay socket of
     * another event loop is flushed at once (its flush would otherwise run on this one).
     */
    private void writeInRead(Channel relay, Object msg) {
        if (!relay.eventLoop().inEventLoop()) {
            relay.writeAndFlush(msg, relay.voidPromise());
            return;
        }
        relay.write(msg, relay.voidPromise());
        int n = unflushed.size();
        if (n == 0 || unflushed.get(n - 1) != relay) {
            unflushed.add(relay);
        }
    }

    /**
     * Relays {@code length} bytes of {@code buf} at {@code index} to {@code peer} (a Send indication's DATA): sent
     * through the allocation's relay socket of the peer's family, or, for a peer at one of the relay's own
     * addresses, as {@link #toOwnAddress} decides. Does not take over the caller's reference.
     */
    public static void sendToPeer(Allocation allocation, OwnAddresses own, ByteBuf buf, int index, int length,
            InetSocketAddress peer) {
        ByteBuf payload = buf.retainedSlice(index, length);
        if (own.ownHost(peer.getAddress())) {
            toOwnAddress(allocation, own, payload, peer, null);
        } else {
            send(allocation, payload, peer, null);
        }
    }

    /**
     * Sends {@code payload} to {@code peer} through the allocation's relay socket of the peer's family (dropped
     * when it has none: ChannelBind refuses other families with 443) if the rate limit admits it. Takes over
     * {@code payload}. Written in the read of {@code reader} when there is one (ChannelData), else flushed at the
     * end of the event loop's turn ({@link BatchedFlush}; a Send indication).
     */
    private static void send(Allocation allocation, ByteBuf payload, InetSocketAddress peer, ClientDataHandler reader) {
        Channel relay = allocation.relayChannel(peer);
        int length = payload.readableBytes();
        if (relay == null || !allocation.admitToPeer(length)) {
            payload.release();
            return;
        }
        allocation.countToPeer(length);
        DatagramPacket datagram = new DatagramPacket(payload, peer);
        if (reader != null) {
            reader.writeInRead(relay, datagram);
        } else {
            BatchedFlush.write(relay, datagram);
        }
    }

    /**
     * Relays {@code payload} from {@code from} to {@code peer}, at one of the relay's own addresses. When
     * {@code peer} is the relayed address of a live allocation the payload is handed over without a socket: it
     * goes into that relay socket's pipeline as a datagram from {@code from}'s relayed address, on that socket's
     * event loop, so the receiving allocation's permission, channel, counters and rate limit apply exactly as to
     * one from the network, and {@code from}'s counters and rate limit as to one it sent. Any other port is sent
     * only if {@link OwnAddresses#sendable} (never to a listener). Takes over {@code payload}.
     *
     * <p>Why not send it: a datagram from the relay to itself is the relay relaying to itself (#16 point 12), and
     * handing it over saves both system calls.
     */
    private static void toOwnAddress(Allocation from, OwnAddresses own, ByteBuf payload, InetSocketAddress peer,
            ClientDataHandler reader) {
        Allocation.Relay to = own.at(peer);
        if (to == null) {
            if (own.sendable(peer)) {
                send(from, payload, peer, reader);
            } else {
                payload.release();
            }
            return;
        }
        Allocation.Relay source = from.relayOfFamily(!(peer.getAddress() instanceof Inet4Address));
        int length = payload.readableBytes();
        if (source == null || !from.admitToPeer(length)) {
            payload.release();
            return;
        }
        from.countToPeer(length);
        try {
            to.channel().pipeline().fireChannelRead(new DatagramPacket(payload, to.relayed(), source.relayed()));
        } catch (RejectedExecutionException e) {
            payload.release(); // the receiving socket's event loop has shut down
        }
    }
}
