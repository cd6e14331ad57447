package dev.tern.relay.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * Receive buffers for the relay's UDP sockets, and when a socket has been read enough: after a read
 * that comes back short of its buffer (then the socket is most likely empty; both transports are
 * level-triggered, so a datagram that arrives meanwhile is reported at the next turn), or after the
 * maximum number of datagrams per wakeup. Netty's epoll datagram read otherwise reads on until the
 * socket says EAGAIN: one wasted {@code recvmmsg} per wakeup of a listening socket.
 *
 * <p>Each buffer either holds one datagram with free space before it (for the ChannelData or Data
 * indication header) and a little after it (for padding), so a packet from a peer is framed for the
 * client in place (NIO only: Netty's epoll read gives slices that cannot reach that space); or holds
 * several datagrams, for epoll's {@code recvmmsg} (with {@code EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE}
 * set to the datagram size).
 *
 * <p>Thread-safe (immutable; each channel gets its own handle).
 */
public final class DatagramRecvByteBufAllocator implements RecvByteBufAllocator {

    /** Room for a Data indication header: 20 (STUN) + 24 (XOR-PEER-ADDRESS, IPv6) + 4 (DATA). */
    public static final int HEADROOM = 48;
    private static final int TAILROOM = 4;

    private final int headroom;
    private final int tailroom;
    private final RecvByteBufAllocator delegate;

    private DatagramRecvByteBufAllocator(int headroom, int tailroom, int capacity, int maxReadsPerWakeup) {
        this.headroom = headroom;
        this.tailroom = tailroom;
        this.delegate = new FixedRecvByteBufAllocator(capacity).maxMessagesPerRead(maxReadsPerWakeup);
    }

    /**
     * One datagram per buffer, with {@link #HEADROOM} bytes free before it; one datagram per wakeup.
     *
     * @param datagramSize the largest datagram received whole (larger ones are truncated by the socket)
     */
    public static DatagramRecvByteBufAllocator withHeadroom(int datagramSize) {
        return new DatagramRecvByteBufAllocator(HEADROOM, TAILROOM, datagramSize, 1);
    }

    /**
     * Buffers for {@code datagrams} datagrams of up to {@code datagramSize} bytes each, read until a read
     * comes back short or {@code maxDatagrams} were read.
     */
    public static DatagramRecvByteBufAllocator batches(int datagramSize, int datagrams, int maxDatagrams) {
        return new DatagramRecvByteBufAllocator(0, 0, datagramSize * datagrams, maxDatagrams);
    }

    @Override
    public Handle newHandle() {
        return new ShortReadStops((ExtendedHandle) delegate.newHandle());
    }

    private final class ShortReadStops extends DelegatingHandle implements ExtendedHandle, UncheckedBooleanSupplier {
        private final ExtendedHandle inner;

        ShortReadStops(ExtendedHandle inner) {
            super(inner);
            this.inner = inner;
        }

        @Override
        public ByteBuf allocate(ByteBufAllocator alloc) {
            if (headroom == 0 && tailroom == 0) {
                return inner.allocate(alloc);
            }
            ByteBuf buf = alloc.ioBuffer(headroom + guess() + tailroom);
            buf.setIndex(headroom, headroom);
            return buf;
        }

        /** Whether the last read filled its buffer, so more may be waiting. */
        @Override
        public boolean get() {
            return lastBytesRead() == attemptedBytesRead();
        }

        @Override
        public boolean continueReading() {
            return inner.continueReading(this);
        }

        /** Epoll passes a supplier that always says "maybe more"; ask the last read instead. */
        @Override
        public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
            return inner.continueReading(this);
        }
    }
}
