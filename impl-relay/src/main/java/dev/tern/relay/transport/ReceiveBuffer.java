package dev.tern.relay.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;

/**
 * The buffer the relay sockets of one event loop receive every datagram into, big enough for the largest datagram
 * they relay and one byte more (so a longer one shows as filling it, see {@link HeadroomRecvByteBufAllocator}).
 * Each read gets a slice of it; the datagram is copied out into a frame of its own size before the next read.
 *
 * <p>One buffer per loop, reused read after read, instead of one fresh 64 KiB frame per datagram: measured with
 * {@code tern-bench overhead}, a pooled 64 KiB frame per 160-byte datagram cost the user plane more CPU per relayed
 * packet than copying the datagram out of a buffer that stays in the cache (README, Performance). The memory is a
 * direct {@link ByteBuffer} that the garbage collector frees: it lives as long as the loop's relay sockets, never
 * travels, and so needs no release.
 *
 * <p>Not thread-safe: used on its event loop only.
 */
public final class ReceiveBuffer {

    private final int size;
    private ByteBuf buffer;

    /** @param size the bytes each read may fill: the largest datagram received whole, plus one */
    public ReceiveBuffer(int size) {
        this.size = size;
        this.buffer = newBuffer(size);
    }

    /**
     * A slice of {@code length} writable bytes for one read, holding a reference of its own. The memory is the same
     * read after read while the previous slice was released; when a slice is still held (a handler kept a datagram),
     * the next read gets fresh memory, so a datagram is never overwritten while anything holds it.
     */
    ByteBuf slice(int length) {
        if (buffer.refCnt() != 1 || length > buffer.capacity()) {
            buffer = newBuffer(Math.max(size, length));
        }
        return buffer.retainedSlice(0, length).clear();
    }

    private static ByteBuf newBuffer(int size) {
        return Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(size));
    }
}
