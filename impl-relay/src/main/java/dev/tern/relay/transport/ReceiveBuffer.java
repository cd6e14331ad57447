package dev.tern.relay.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;

/**
 * The buffer the relay sockets of one event loop receive every datagram into, big enough for the largest datagram
 * they relay and one byte more (so a longer one shows as filling it, see {@link HeadroomRecvByteBufAllocator}).
 * Each read gets a slice of it; the datagram is copied out into a frame of its own size before the next read. A UDP
 * listener on epoll has one of its own, holding {@value EventLoops#LISTENER_READS_PER_WAKEUP} client datagrams per
 * {@code recvmmsg} ({@link EventLoops#receiveOnListener}); their ChannelData payloads go on to the relay sockets
 * without a copy and are released when those are flushed, at the end of the loop's turn.
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
    /** The memory of an earlier read still held when a read came (null until then), taken again once released. */
    private ByteBuf spare;

    /** @param size the bytes each read may fill: the largest datagram received whole, plus one */
    public ReceiveBuffer(int size) {
        this.size = size;
        this.buffer = newBuffer(size);
    }

    /**
     * A slice of {@code length} writable bytes for one read, holding a reference of its own. The memory is the same
     * read after read while the previous slice was released. When a slice is still held (a handler kept a datagram,
     * or a listener's datagrams wait in a relay socket for the flush at the end of the event loop's turn), the next
     * read goes to a spare that is free again, else to fresh memory: a datagram is never overwritten while anything
     * holds it, and a loop whose writes lag one turn behind its reads allocates nothing.
     */
    ByteBuf slice(int length) {
        if (buffer.refCnt() != 1 || length > buffer.capacity()) {
            ByteBuf held = buffer;
            buffer = spare != null && spare.refCnt() == 1 && length <= spare.capacity() ? spare
                    : newBuffer(Math.max(size, length));
            spare = held;
        }
        return buffer.retainedSlice(0, length).clear();
    }

    private static ByteBuf newBuffer(int size) {
        return Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(size));
    }
}
