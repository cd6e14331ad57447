package dev.tern.bench.jmh;

import dev.tern.spi.Transport;
import dev.tern.relay.allocation.Allocation;
import dev.tern.relay.core.allocation.AllocationState;
import dev.tern.relay.quota.Bandwidth;
import dev.tern.relay.allocation.AllocationTable;
import dev.tern.relay.allocation.OwnAddresses;
import dev.tern.relay.peer.ListenerAddresses;
import dev.tern.relay.peer.OwnHosts;
import dev.tern.relay.peer.PeerAddressFilter;
import dev.tern.stun.ChannelData;
import dev.tern.relay.transport.ClientDataHandler;
import dev.tern.relay.transport.HeadroomRecvByteBufAllocator;
import dev.tern.relay.transport.PeerDataHandler;
import dev.tern.spi.LongTermKey;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.time.Instant;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The relay's forward path for one datagram, from the handler that receives it to the datagram queued
 * and flushed on the destination channel (embedded channels stand in for the sockets): ChannelData
 * from a client to its peer, and a peer's datagram framed as ChannelData for the client. The received
 * buffer and datagram are made per operation, as the transport would; run with {@code -prof gc} for B/op.
 */
public class ForwardPathBenchmark extends HotPathBenchmark {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 5000);
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 7000);
    private static final InetSocketAddress RELAYED = new InetSocketAddress("127.0.0.1", 50000);
    private static final int CHANNEL = 0x4001;

    /** Payload bytes per datagram. */
    @Param("160")
    public int size;

    /**
     * Whether a peer's datagram was read into one of the relay socket's frames, with headroom for the
     * header (as both transports do), or arrives in a buffer from elsewhere (the fallback: one copy).
     */
    @Param({"true", "false"})
    public boolean headroom;

    /** The relay socket's receive limit: the relay's own (65456, the default) or the 4096 it had before #16. */
    @Param({"65456", "4096"})
    public int receiveLimit;

    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
    private EmbeddedChannel listener;
    private EmbeddedChannel relay;
    private RecvByteBufAllocator.Handle receive;

    @Setup
    public void setUp() {
        AllocationTable table = new AllocationTable();
        listener = new EmbeddedChannel(new ClientDataHandler(table,
                new OwnAddresses(new OwnHosts(java.util.List.of()),
                        new ListenerAddresses(java.util.List.of()), PeerAddressFilter.create(null, null, null)), () -> 0L));
        PeerDataHandler peerData = new PeerDataHandler(() -> 0L);
        relay = new EmbeddedChannel();
        relay.config().setRecvByteBufAllocator(new HeadroomRecvByteBufAllocator(receiveLimit));
        relay.pipeline().addLast(peerData);
        Allocation allocation = new Allocation(new AllocationState(
                new AllocationState.Owner("@a:x", "1:@a:x", new LongTermKey(new byte[16], new byte[32]), false),
                new AllocationState.Endpoints(CLIENT, Transport.UDP, java.util.List.of(RELAYED)), Instant.EPOCH,
                new AllocationState.Limits(Bandwidth.UNLIMITED, 10)), listener,
                java.util.List.of(Allocation.Relay.of(relay, RELAYED)));
        allocation.bind(CHANNEL, PEER, false, 0);
        table.put(allocation);
        peerData.attach(allocation);
        receive = relay.unsafe().recvBufAllocHandle();
    }

    @TearDown
    public void tearDown() {
        listener.finishAndReleaseAll();
        relay.finishAndReleaseAll();
    }

    /** A client's ChannelData datagram relayed to its peer. */
    @Benchmark
    public void clientToPeer() {
        ByteBuf buf = alloc.ioBuffer(2048);
        ChannelData.writeHeader(buf, 0, CHANNEL, size);
        buf.writerIndex(ChannelData.HEADER_LENGTH + size);
        // The read of the listening socket ends after its datagrams; its end flushes the relay socket.
        listener.pipeline().fireChannelRead(new DatagramPacket(buf, RELAYED, CLIENT)).fireChannelReadComplete();
        relay.runPendingTasks();
        DatagramPacket out = relay.readOutbound();
        out.release();
    }

    /** A peer's datagram relayed to the client as ChannelData. */
    @Benchmark
    public void peerToClient() {
        ByteBuf buf = headroom ? receive.allocate(alloc) : alloc.ioBuffer(2048);
        buf.writerIndex(buf.writerIndex() + size);
        relay.pipeline().fireChannelRead(new DatagramPacket(buf, RELAYED, PEER));
        listener.runPendingTasks();
        DatagramPacket out = listener.readOutbound();
        out.release();
    }
}
