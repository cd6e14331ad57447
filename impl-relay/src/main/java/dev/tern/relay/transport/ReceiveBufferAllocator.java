package dev.tern.relay.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * Lets a UDP socket read into a {@link ReceiveBuffer} instead of a fresh buffer from the channel's allocator: each
 * read gets a slice of {@code bytesPerRead} bytes of it, and a wakeup of the socket makes at most
 * {@code readsPerWakeup} reads. On epoll with {@code EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE} set, one read of
 * a slice holding several datagrams of that size is one {@code recvmmsg}.
 *
 * <p>Every socket that uses one instance must be on the event loop its {@link ReceiveBuffer} belongs to.
 */
final class ReceiveBufferAllocator implements RecvByteBufAllocator {

    private final ReceiveBuffer buffer;
    private final RecvByteBufAllocator sizes;

    /**
     * @param buffer where the reads go; of the socket's event loop
     * @param bytesPerRead the room each read gets
     * @param readsPerWakeup reads per wakeup at most (a read that finds the socket empty ends them sooner)
     */
    ReceiveBufferAllocator(ReceiveBuffer buffer, int bytesPerRead, int readsPerWakeup) {
        this.buffer = buffer;
        this.sizes = new FixedRecvByteBufAllocator(bytesPerRead).maxMessagesPerRead(readsPerWakeup);
    }

    @Override
    public Handle newHandle() {
        return new IntoReceiveBuffer((ExtendedHandle) sizes.newHandle());
    }

    private final class IntoReceiveBuffer extends DelegatingHandle implements ExtendedHandle {
        private final ExtendedHandle inner;

        IntoReceiveBuffer(ExtendedHandle inner) {
            super(inner);
            this.inner = inner;
        }

        @Override
        public ByteBuf allocate(ByteBufAllocator alloc) {
            return buffer.slice(guess());
        }

        @Override
        public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
            return inner.continueReading(maybeMoreDataSupplier);
        }
    }
}
