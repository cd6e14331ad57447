package dev.tern.relay.plane;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tern.spi.Transport;
import dev.tern.relay.allocation.Allocation;
import dev.tern.relay.allocation.TestAllocations;
import dev.tern.relay.core.allocation.AllocationState;
import dev.tern.relay.core.allocation.Traffic;
import dev.tern.relay.kernel.ChannelRoute;
import dev.tern.relay.kernel.KernelForwarder;
import dev.tern.relay.kernel.RouteCounters;
import dev.tern.relay.quota.Bandwidth;
import dev.tern.relay.quota.TokenBucket;
import dev.tern.relay.transport.EventLoops;
import dev.tern.testing.MutableClock;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The kernel plane on the real TC program over loopback: an allocation's bound channel is forwarded by the
 * kernel both ways and counted; expiry of the channel or the permission stops the kernel at the deadline by
 * itself, the allocation's end and a user over its rate take the routes out, and every packet the kernel does
 * not forward reaches the relay's sockets (user space) instead. Needs root (CAP_BPF, CAP_NET_ADMIN), as CI has.
 */
class KernelPlaneIT {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int CHANNEL = 0x4001;
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private EventLoopGroup group;
    private KernelForwarder forwarder;
    private KernelPlane plane;
    private Channel listener;
    private Channel relay;
    private final BlockingQueue<byte[]> atListener = new LinkedBlockingQueue<>();
    private final BlockingQueue<byte[]> atRelay = new LinkedBlockingQueue<>();
    private DatagramSocket client;
    private DatagramSocket peer;
    private InetSocketAddress peerAddress;

    @BeforeEach
    void openPlaneAndSockets() throws Exception {
        forwarder = KernelForwarder.open(List.of("lo"));
        plane = new KernelPlane(forwarder, Clock.systemUTC(), System::nanoTime);
        group = EventLoops.nio().newGroup(1);
        listener = bind(atListener);
        relay = bind(atRelay);
        client = new DatagramSocket(0, LOOPBACK);
        peer = new DatagramSocket(0, LOOPBACK);
        client.setSoTimeout(3000);
        peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
    }

    @AfterEach
    void closeAll() {
        if (plane != null) {
            plane.close();
        }
        if (client != null) {
            client.close();
        }
        if (peer != null) {
            peer.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private Channel bind(BlockingQueue<byte[]> received) {
        return new Bootstrap().group(group).channelFactory(EventLoops.nio().datagramChannels(LOOPBACK))
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                        received.add(ByteBufUtil.getBytes(packet.content()));
                    }
                }).bind(LOOPBACK, 0).syncUninterruptibly().channel();
    }

    private Allocation allocation(Bandwidth bandwidth) {
        Instant now = Instant.now();
        return TestAllocations.of((InetSocketAddress) client.getLocalSocketAddress(), Transport.UDP, listener,
                List.of(Allocation.Relay.of(relay, (InetSocketAddress) relay.localAddress())),
                new AllocationState.Limits(bandwidth, 10), now.plusSeconds(60));
    }

    private Allocation boundAllocation() {
        Allocation a = allocation(Bandwidth.UNLIMITED);
        a.bind(CHANNEL, peerAddress, false, System.nanoTime());
        plane.changed(a);
        return a;
    }

    private void sendChannelData(byte[] payload) throws Exception {
        ByteBuffer frame = ByteBuffer.allocate(4 + payload.length + 3 & ~3);
        frame.putShort((short) CHANNEL).putShort((short) payload.length).put(payload);
        client.send(new java.net.DatagramPacket(frame.array(), frame.capacity(), (InetSocketAddress) listener.localAddress()));
    }

    /** What the peer received next, or null after {@code timeoutMillis}. */
    private java.net.DatagramPacket atPeer(int timeoutMillis) throws Exception {
        java.net.DatagramPacket p = new java.net.DatagramPacket(new byte[2048], 2048);
        try {
            peer.setSoTimeout(timeoutMillis);
            peer.receive(p);
            return p;
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    private static byte[] payload(java.net.DatagramPacket p) {
        return java.util.Arrays.copyOfRange(p.getData(), p.getOffset(), p.getOffset() + p.getLength());
    }

    /** Sends one packet each way and asserts the kernel forwarded both (nothing reached the relay's sockets). */
    private void assertKernelForwards(byte[] data) throws Exception {
        assertKernelForwardsToPeer(data);
        assertKernelForwardsToClient(data);
    }

    /** Sends one packet from the client and asserts the kernel forwarded it to the peer. */
    private void assertKernelForwardsToPeer(byte[] data) throws Exception {
        sendChannelData(data);
        java.net.DatagramPacket toPeer = atPeer(3000);
        assertNotNull(toPeer, "the kernel forwarded ChannelData to the peer (user space got " + atListener.size()
                + " packets instead)");
        assertArrayEquals(data, payload(toPeer));
        assertEquals(relay.localAddress(), toPeer.getSocketAddress(), "it comes from the relayed address");
        assertNull(atListener.poll(100, TimeUnit.MILLISECONDS), "user space saw nothing of the client's packet");
    }

    /** Sends one packet from the peer and asserts the kernel forwarded it to the client. */
    private void assertKernelForwardsToClient(byte[] data) throws Exception {
        peer.send(new java.net.DatagramPacket(data, data.length, (InetSocketAddress) relay.localAddress()));
        java.net.DatagramPacket toClient = new java.net.DatagramPacket(new byte[2048], 2048);
        client.receive(toClient);
        assertEquals(listener.localAddress(), toClient.getSocketAddress(), "it comes from the listening address");
        ByteBuffer framed = ByteBuffer.wrap(toClient.getData(), 0, toClient.getLength());
        assertEquals(CHANNEL, framed.getShort() & 0xFFFF);
        assertEquals(data.length, framed.getShort() & 0xFFFF);
        assertNull(atRelay.poll(50, TimeUnit.MILLISECONDS), "user space saw nothing of the peer's packet");
    }

    /** Sends one packet each way and asserts the kernel forwarded neither: both reached the relay's sockets. */
    private void assertUserSpaceSees(byte[] data) throws Exception {
        assertUserSpaceSeesFromClient(data);
        peer.send(new java.net.DatagramPacket(data, data.length, (InetSocketAddress) relay.localAddress()));
        assertNotNull(atRelay.poll(3, TimeUnit.SECONDS), "the peer's packet reached the relay socket");
    }

    /** Sends one packet from the client and asserts the kernel did not forward it: it reached the listener. */
    private void assertUserSpaceSeesFromClient(byte[] data) throws Exception {
        sendChannelData(data);
        assertNotNull(atListener.poll(3, TimeUnit.SECONDS), "the client's packet reached the listening socket");
        assertNull(atPeer(100), "the kernel no longer forwards to the peer");
    }

    @Test
    void forwardsABoundChannelBothWaysAndCountsWhatItCarried() throws Exception {
        Allocation a = boundAllocation();
        for (int i = 0; i < 5; i++) {
            assertKernelForwards(new byte[] {1, 2, 3, (byte) i, 5, 6, 7});
        }
        plane.collect(a);
        assertEquals(new Traffic(5, 35, 5, 35), a.drainCounters().kernel());
        assertEquals(35, a.view().traffic().bytesToPeers(), "the allocation's own counters include the kernel's");
        assertEquals(35, a.view().traffic().bytesFromPeers());
    }

    @Test
    void theRouteSetsDfAsTheAllocationsRelaySocketDoes() throws Exception {
        Instant now = Instant.now();
        InetSocketAddress clientAddress = (InetSocketAddress) client.getLocalSocketAddress();
        InetSocketAddress relayed = (InetSocketAddress) relay.localAddress();
        Allocation a = TestAllocations.of(clientAddress, Transport.UDP, listener,
                List.of(new Allocation.Relay(relay, relayed, true)), TestAllocations.UNLIMITED, now.plusSeconds(60));
        a.bind(CHANNEL, peerAddress, false, System.nanoTime());
        plane.changed(a);
        assertKernelForwards(new byte[] {1, 2, 3, 4});
        InetSocketAddress listening = (InetSocketAddress) listener.localAddress();
        assertEquals(new RouteCounters(1, 4, 1, 4), forwarder.counters(
                new ChannelRoute(clientAddress, listening, relayed, peerAddress, CHANNEL, true)),
                "the installed route is the one with DF, as the relay socket (DONT-FRAGMENT) has it");
        assertEquals(RouteCounters.ZERO, forwarder.counters(
                new ChannelRoute(clientAddress, listening, relayed, peerAddress, CHANNEL, false)));
    }

    @Test
    void channelExpiryStopsTheKernelAtItsDeadline() throws Exception {
        Allocation a = allocation(Bandwidth.UNLIMITED);
        long now = System.nanoTime();
        a.bind(CHANNEL, peerAddress, false, now - Allocation.CHANNEL_NANOS + SECOND);
        a.permit(List.of(peerAddress.getAddress()), now);
        plane.changed(a);
        assertKernelForwards(new byte[] {1, 2, 3, 4});
        TimeUnit.NANOSECONDS.sleep(now + SECOND - System.nanoTime() + 50_000_000L);
        assertUserSpaceSees(new byte[] {5, 6, 7, 8});
    }

    @Test
    void permissionExpiryStopsTheKernelAtItsDeadline() throws Exception {
        Allocation a = allocation(Bandwidth.UNLIMITED);
        long now = System.nanoTime();
        a.bind(CHANNEL, peerAddress, false, now);
        a.permit(List.of(peerAddress.getAddress()), now - Allocation.PERMISSION_NANOS + SECOND);
        plane.changed(a);
        assertKernelForwards(new byte[] {1, 2, 3, 4});
        TimeUnit.NANOSECONDS.sleep(now + SECOND - System.nanoTime() + 50_000_000L);
        assertUserSpaceSees(new byte[] {5, 6, 7, 8});
    }

    @Test
    void aRefreshMovesTheDeadline() throws Exception {
        Allocation a = allocation(Bandwidth.UNLIMITED);
        long now = System.nanoTime();
        a.bind(CHANNEL, peerAddress, false, now - Allocation.CHANNEL_NANOS + SECOND);
        a.permit(List.of(peerAddress.getAddress()), now);
        plane.changed(a);
        assertEquals(AllocationState.BindResult.REFRESHED,
                a.bind(CHANNEL, peerAddress, false, System.nanoTime()));
        plane.changed(a);
        TimeUnit.NANOSECONDS.sleep(now + SECOND - System.nanoTime() + 200_000_000L);
        assertKernelForwards(new byte[] {1, 2, 3, 4});
    }

    @Test
    void theAllocationsEndTakesItsRoutesOutWithTheirFinalCounts() throws Exception {
        Allocation a = boundAllocation();
        assertKernelForwards(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        plane.ended(a);
        assertEquals(new Traffic(1, 8, 1, 8), a.drainCounters().kernel());
        assertUserSpaceSees(new byte[] {1});
    }

    /** A bound allocation limited to 1000 B/s each way, with a 1000 B burst, on {@code bucketClock}. */
    private Allocation boundAllocationAtOneKilobytePerSecond(MutableClock bucketClock) {
        LongSupplier bucketNanos = () -> bucketClock.millis() * 1_000_000L;
        Allocation a = allocation(new Bandwidth(new TokenBucket(1000, 1000, bucketNanos),
                new TokenBucket(1000, 1000, bucketNanos)));
        a.bind(CHANNEL, peerAddress, false, System.nanoTime());
        plane.changed(a);
        return a;
    }

    @Test
    void aUserOverItsRateLosesItsRoutesUntilTheBucketRefills() throws Exception {
        // 1000 B/s with a 1000 B burst, on a clock of the test's: 6000 bytes through the kernel put the user over
        // its rate and the bucket 1000 B into debt; half the burst is back 1.5 s later.
        MutableClock bucketClock = new MutableClock(Instant.EPOCH);
        Allocation a = boundAllocationAtOneKilobytePerSecond(bucketClock);
        byte[] big = new byte[500];
        for (int i = 0; i < 6; i++) {
            assertKernelForwards(big);
        }
        plane.collect(a);
        assertUserSpaceSees(big);
        bucketClock.advance(Duration.ofMillis(1400));
        plane.collect(a);
        assertUserSpaceSees(big);
        bucketClock.advance(Duration.ofMillis(100));
        plane.collect(a);
        assertKernelForwards(big);
    }

    @Test
    void aUserOverItsRateOneWayLosesTheRoutesThatWayOnlyAndGetsThemBack() throws Exception {
        // max_bitrate applies to each direction separately (#22 point 5): 3000 bytes to the peer put the to-peer
        // bucket (1000 B/s, 1000 B burst) 1000 B into debt, while the peer's few bytes leave the other in credit.
        MutableClock bucketClock = new MutableClock(Instant.EPOCH);
        Allocation a = boundAllocationAtOneKilobytePerSecond(bucketClock);
        byte[] big = new byte[500];
        for (int i = 0; i < 6; i++) {
            assertKernelForwardsToPeer(big);
        }
        assertKernelForwardsToClient(new byte[] {1, 2, 3});
        plane.collect(a);
        assertUserSpaceSeesFromClient(big);
        assertKernelForwardsToClient(new byte[] {4, 5, 6});
        bucketClock.advance(Duration.ofMillis(1500));
        plane.collect(a);
        assertKernelForwardsToPeer(big);
        assertKernelForwardsToClient(big);
    }
}
