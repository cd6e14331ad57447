package dev.tern.relay.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.MessageSizeEstimator;

/**
 * Sizes what a client connection queues by the memory it holds, not by its readable bytes: a peer's
 * datagram travels in the frame it was received into, which has room for the largest datagram relayed
 * (64 KiB, {@link dev.tern.relay.transport.RelayPortBinder#MAX_PEER_DATAGRAM}) whatever the payload. Counted
 * by readable bytes, a client that stopped reading could pin the write-buffer high water mark's worth of
 * tiny datagrams, each holding a whole frame (for 20-byte payloads some 2 700 frames, 170 MiB); counted by
 * capacity, the water mark bounds the memory itself and the relay drops the client's data sooner instead.
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
