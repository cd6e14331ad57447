package dev.tern.relay.kernel;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The byte layout of the program's map keys and values ({@code struct client_key}, {@code struct peer_key},
 * {@code struct route}, {@code struct counters} in {@code src/main/bpf/tern_tc.c}); the two must change together.
 * Addresses and ports are in network order, an IPv4 address in the first 4 of 16 bytes; the rest in host order
 * (little-endian on the x86-64 and arm64 machines this runs on).
 */
final class RouteLayout {

    static final int CLIENT_KEY_SIZE = 40;
    static final int PEER_KEY_SIZE = 40;
    static final int ROUTE_SIZE = 56;
    static final int COUNTERS_SIZE = 32;

    private RouteLayout() {
    }

    /** {@code struct client_key}: ChannelData for {@code channel} from the client to the listener. */
    static byte[] clientKey(ChannelRoute route) {
        ByteBuffer b = buffer(CLIENT_KEY_SIZE);
        putAddress(b, route.client());
        putAddress(b, route.listener());
        putPort(b, route.client());
        putPort(b, route.listener());
        b.putShort((short) route.channel());
        b.put((byte) family(route.client()));
        return b.array();
    }

    /** {@code struct peer_key}: a datagram from the peer to the relayed address. */
    static byte[] peerKey(ChannelRoute route) {
        ByteBuffer b = buffer(PEER_KEY_SIZE);
        putAddress(b, route.peer());
        putAddress(b, route.relayed());
        putPort(b, route.peer());
        putPort(b, route.relayed());
        b.put((byte) family(route.peer()));
        return b.array();
    }

    /** {@code struct route}'s flags: IPv4 DF set on the forwarded datagram, else cleared ({@code ROUTE_DF}). */
    static final int ROUTE_DF = 1;

    /**
     * {@code struct route} for the client side: rewrite to relayed -> peer, with DF as the relay socket sets it
     * ({@link ChannelRoute#dontFragment()}), never the client's.
     */
    static byte[] toPeer(ChannelRoute route, long deadlineNanos, int slot) {
        return route(route.relayed(), route.peer(), 0, route.dontFragment() ? ROUTE_DF : 0, deadlineNanos, slot);
    }

    /**
     * {@code struct route} for the peer side: rewrite to listener -> client, add the channel header. DF is set,
     * as on what the listener socket sends from user space: it keeps Linux's default path MTU discovery
     * ({@code IP_PMTUDISC_WANT}), which sets DF on every datagram that fits the path MTU, and the program
     * forwards only those (larger ones fail the route lookup's MTU check and go to user space).
     */
    static byte[] toClient(ChannelRoute route, long deadlineNanos, int slot) {
        return route(route.listener(), route.client(), route.channel(), ROUTE_DF, deadlineNanos, slot);
    }

    /** {@code struct counters}, as read from the counters array. */
    static RouteCounters counters(byte[] value) {
        ByteBuffer b = ByteBuffer.wrap(value).order(ByteOrder.nativeOrder());
        long packetsToPeer = b.getLong();
        long bytesToPeer = b.getLong();
        long packetsToClient = b.getLong();
        long bytesToClient = b.getLong();
        return new RouteCounters(packetsToPeer, bytesToPeer, packetsToClient, bytesToClient);
    }

    /** A counters slot index as the array map's 4-byte key. */
    static byte[] slotKey(int slot) {
        return buffer(4).putInt(slot).array();
    }

    private static byte[] route(InetSocketAddress src, InetSocketAddress dst, int channel, int flags,
                                long deadlineNanos, int slot) {
        ByteBuffer b = buffer(ROUTE_SIZE);
        putAddress(b, src);
        putAddress(b, dst);
        putPort(b, src);
        putPort(b, dst);
        b.putShort((short) channel);
        b.put((byte) family(dst));
        b.put((byte) flags);
        b.putLong(deadlineNanos);
        b.putInt(slot);
        return b.array();
    }

    private static ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
    }

    private static void putAddress(ByteBuffer b, InetSocketAddress address) {
        byte[] raw = address.getAddress().getAddress();
        b.put(raw);
        b.position(b.position() + 16 - raw.length);
    }

    private static void putPort(ByteBuffer b, InetSocketAddress address) {
        b.order(ByteOrder.BIG_ENDIAN).putShort((short) address.getPort()).order(ByteOrder.nativeOrder());
    }

    private static int family(InetSocketAddress address) {
        return address.getAddress() instanceof Inet4Address ? 4 : 6;
    }
}
