package dev.tern.relay.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.MessageSizeEstimator;

/**
 * Sizes what a client connection queues by the memory it holds, not by its readable bytes: a buffer's whole
 * capacity, which for a peer's datagram is its frame (the datagram plus the header's room in front and the
 * padding's behind, {@link dev.tern.relay.transport.HeadroomRecvByteBufAllocator}). Counted by readable bytes, a
 * client that stopped reading could pin more than the write-buffer high water mark in memory (for 20-byte
 * payloads more than three times as much); counted by capacity, the water mark bounds the memory itself and the
 * relay drops the client's data sooner instead.
 *
 * <p>Stateless and thread-safe; for TCP and TLS client connections.
 */
public final class QueuedMemoryEstimator implements MessageSizeEstimator {

    /** The one instance. */
    public static final QueuedMemoryEstimator INSTANCE = new QueuedMemoryEstimator();

    private static final Handle HANDLE = msg -> {
        if (msg instanceof ByteBuf buf) {
            return buf.capacity();
        } else if (msg instanceof ByteBufHolder holder) {
            return holder.content().capacity();
        }
        return 0;
    };

    private QueuedMemoryEstimator() {
    }

    @Override
    public Handle newHandle() {
        return HANDLE;
    }
}
