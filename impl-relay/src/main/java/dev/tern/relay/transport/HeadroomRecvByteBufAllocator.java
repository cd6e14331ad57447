package dev.tern.relay.transport;

import io.netty.channel.RecvByteBufAllocator;

/**
 * Receives each datagram of a relay socket into its event loop's {@link ReceiveBuffer}, from where
 * {@link PeerDataHandler} copies it once into a <em>frame</em> of its own size: {@link #HEADROOM} bytes before it
 * for the ChannelData or Data indication header and {@link #TAILROOM} after it for padding, so the header is
 * written in place. Before issue #16 point 2 the socket read straight into a pooled frame of 4 KiB and nothing was
 * copied; reading every datagram into a fresh 64 KiB frame instead cost more per packet than the copy of a datagram
 * out of a buffer that stays in the cache (README, Performance).
 *
 * <p>A datagram longer than the limit must be dropped, never relayed cut short, but neither transport
 * says when the kernel truncated one (Netty 4.2.18's epoll reads ignore MSG_TRUNC; NIO's receive has no
 * such flag): so the transport reads into room for one byte more than the limit, and a datagram that
 * fills it is over the limit ({@link #oversized}).
 *
 * <p>One instance per channel, used on its event loop only.
 */
public final class HeadroomRecvByteBufAllocator implements RecvByteBufAllocator {

    /** Room for a Data indication header: 20 (STUN) + 24 (XOR-PEER-ADDRESS, IPv6) + 4 (DATA). */
    public static final int HEADROOM = 48;
    /** Room for the padding of a Data indication (up to 3 bytes). */
    static final int TAILROOM = 4;

    private final int datagramLimit;
    private final RecvByteBufAllocator reads;

    /**
     * An allocator with a receive buffer of its own.
     *
     * @param datagramLimit the largest datagram received whole; a longer one is {@link #oversized}
     */
    public HeadroomRecvByteBufAllocator(int datagramLimit) {
        this(datagramLimit, new ReceiveBuffer(datagramLimit + 1));
    }

    /**
     * An allocator that reads into {@code receiveBuffer}, shared by the relay sockets of one event loop.
     *
     * @param datagramLimit the largest datagram received whole; a longer one is {@link #oversized}
     */
    public HeadroomRecvByteBufAllocator(int datagramLimit, ReceiveBuffer receiveBuffer) {
        this.datagramLimit = datagramLimit;
        // One datagram per wakeup: a relay socket mostly holds one, and a second read would only return EAGAIN.
        this.reads = new ReceiveBufferAllocator(receiveBuffer, datagramLimit + 1, 1);
    }

    /** Whether a datagram of {@code length} bytes read through this allocator is over its limit (so may be cut). */
    public boolean oversized(int length) {
        return length > datagramLimit;
    }

    @Override
    public Handle newHandle() {
        return reads.newHandle();
    }
}
