package dev.tern.relay.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tern.relay.allocation.Allocation;
import dev.tern.relay.allocation.AllocationTable;
import dev.tern.relay.allocation.OwnAddresses;
import dev.tern.relay.allocation.TestAllocations;
import dev.tern.relay.peer.ListenerAddresses;
import dev.tern.relay.peer.OwnHosts;
import dev.tern.relay.peer.PeerAddressFilter;
import dev.tern.spi.Transport;
import dev.tern.stun.ChannelData;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * ChannelData from a client goes out on the relay socket when the listening socket's read completes: the datagrams
 * of one read leave with one flush per relay socket, none before the read ends; over a real relay socket on loopback
 * of both transports, to a real peer socket.
 */
class ClientDataHandlerTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 5000);
    private static final int CHANNEL = 0x4001;

    @Test
    void sendsTheChannelDataOfAReadWithOneFlushWhenTheReadCompletes() throws Exception {
        for (EventLoops transport : new EventLoops[] {EventLoops.detect(), EventLoops.nio()}) {
            onRelaySocket(transport, (listener, relay, counter, peer) -> {
                List<Integer> flushes = relay.eventLoop().submit(() -> {
                    for (int i = 0; i < 3; i++) {
                        listener.pipeline().fireChannelRead(channelData(i));
                    }
                    int duringTheRead = counter.flushes;
                    listener.pipeline().fireChannelReadComplete();
                    return List.of(duringTheRead, counter.flushes);
                }).get();
                assertEquals(List.of(0, 1), flushes, transport.name() + ": flushes during the read, then at its end");
                assertEquals(1, (int) relay.eventLoop().submit(() -> counter.flushes).get(),
                        transport.name() + ": no flush left for the end of the turn");
                assertEquals(List.of(0, 1, 2), receive(peer, 3), transport.name());
            });
        }
    }

    @Test
    void sendsWhatAReadRelayedWhenTheListeningSocketClosesBeforeTheReadCompletes() throws Exception {
        onRelaySocket(EventLoops.detect(), (listener, relay, counter, peer) -> {
            relay.eventLoop().submit(() -> {
                listener.pipeline().fireChannelRead(channelData(7));
                listener.pipeline().fireChannelInactive();
            }).sync();
            assertEquals(List.of(7), receive(peer, 1));
        });
    }

    @Test
    void sendsNothingForAReadWithoutChannelData() throws Exception {
        onRelaySocket(EventLoops.detect(), (listener, relay, counter, peer) -> {
            relay.eventLoop().submit(() -> listener.pipeline().fireChannelReadComplete()).sync();
            assertEquals(0, (int) relay.eventLoop().submit(() -> counter.flushes).get());
            peer.setSoTimeout(200);
            try {
                peer.receive(new java.net.DatagramPacket(new byte[16], 16));
                throw new AssertionError("a datagram reached the peer");
            } catch (SocketTimeoutException expected) {
                // nothing was sent
            }
        });
    }

    /** A ChannelData datagram from the client on the bound channel, one payload byte {@code marker}. */
    private static DatagramPacket channelData(int marker) {
        ByteBuf buf = Unpooled.directBuffer(ChannelData.HEADER_LENGTH + 1);
        ChannelData.writeHeader(buf, 0, CHANNEL, 1);
        buf.writerIndex(ChannelData.HEADER_LENGTH).writeByte(marker);
        return new DatagramPacket(buf, new InetSocketAddress("127.0.0.1", 3478), CLIENT);
    }

    private interface RelayTest {
        void run(EmbeddedChannel listener, Channel relay, FlushCounter counter, DatagramSocket peer) throws Exception;
    }

    /**
     * A client's allocation with a real relay socket (its {@link BatchedFlush} installed, as the relay does) and
     * channel {@link #CHANNEL} bound to a real peer socket; its listening socket is an embedded channel with the
     * handler, driven on the relay socket's event loop.
     */
    private static void onRelaySocket(EventLoops transport, RelayTest test) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        EventLoopGroup group = transport.newGroup(1);
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
            peer.setSoTimeout(5000);
            FlushCounter counter = new FlushCounter();
            Channel relay = new Bootstrap().group(group).channelFactory(transport.datagramChannels(loopback))
                    .handler(counter).bind(loopback, 0).sync().channel();
            BatchedFlush.install(relay);
            AllocationTable table = new AllocationTable();
            OwnAddresses own = new OwnAddresses(new OwnHosts(List.of()), new ListenerAddresses(List.of()),
                    PeerAddressFilter.create(null, null, null));
            EmbeddedChannel listener = new EmbeddedChannel(new ClientDataHandler(table, own, () -> 0L));
            Allocation allocation = TestAllocations.of(CLIENT, Transport.UDP, listener, relay,
                    (InetSocketAddress) relay.localAddress(), Instant.EPOCH);
            allocation.bind(CHANNEL, (InetSocketAddress) peer.getLocalSocketAddress(), false, 0);
            table.put(allocation);
            test.run(listener, relay, counter, peer);
            relay.close().sync();
            listener.finishAndReleaseAll();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static List<Integer> receive(DatagramSocket peer, int count) throws Exception {
        return FlushCounter.firstBytes(peer, count);
    }
}
