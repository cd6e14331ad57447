package dev.tern.relay.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * Receives each datagram into a buffer with free space before it (for the ChannelData or Data
 * indication header) and a little after it (for padding), so a packet from a peer is framed for the
 * client in place: the payload is never copied.
 *
 * <p>Thread-safe (stateless; each channel gets its own handle).
 */
public final class HeadroomRecvByteBufAllocator implements RecvByteBufAllocator {

    /** Room for a Data indication header: 20 (STUN) + 24 (XOR-PEER-ADDRESS, IPv6) + 4 (DATA). */
    public static final int HEADROOM = 48;
    private static final int TAILROOM = 4;

    private final RecvByteBufAllocator delegate;

    /** @param datagramSize the largest datagram received whole (larger ones are truncated by the socket) */
    public HeadroomRecvByteBufAllocator(int datagramSize) {
        this.delegate = new FixedRecvByteBufAllocator(datagramSize);
    }

    @Override
    public Handle newHandle() {
        ExtendedHandle inner = (ExtendedHandle) delegate.newHandle();
        return new Headroom(inner);
    }

    private static final class Headroom extends DelegatingHandle implements ExtendedHandle {
        private final ExtendedHandle inner;

        Headroom(ExtendedHandle inner) {
            super(inner);
            this.inner = inner;
        }

        @Override
        public ByteBuf allocate(ByteBufAllocator alloc) {
            ByteBuf buf = alloc.ioBuffer(HEADROOM + guess() + TAILROOM);
            buf.setIndex(HEADROOM, HEADROOM);
            return buf;
        }

        @Override
        public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
            return inner.continueReading(maybeMoreDataSupplier);
        }
    }
}
