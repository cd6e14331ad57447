package dev.tern.relay.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * Receives each datagram of a relay socket into a <em>frame</em>: a buffer with free space before the
 * datagram (for the ChannelData or Data indication header) and a little after it (for padding), so a
 * packet from a peer is framed for the client in place and its payload is never copied.
 *
 * <p>The transport reads into a slice of the frame that starts behind the headroom, whatever it then
 * does with the buffer's indices (Netty 4.2's epoll datagram read sets the writer index to the
 * datagram's length and hands on a slice of it, so headroom reserved by indices would be lost). While
 * the pipeline handles the datagram, {@link #claimFrame} finds the frame again from the datagram's
 * memory address, which holds whichever transport, or whatever wrapping, did the read.
 *
 * <p>A datagram longer than the limit must be dropped, never relayed cut short, but neither transport
 * says when the kernel truncated one (Netty 4.2.18's epoll reads ignore MSG_TRUNC; NIO's receive has no
 * such flag): so the transport reads into room for one byte more than the limit, and a datagram that
 * fills it is over the limit ({@link #oversized}). The frame stays one buffer, allocated once per read as
 * before, so the check costs a comparison.
 *
 * <p>One instance per channel, used on its event loop only: it remembers the frame of the read in
 * progress (cleared when the read loop completes).
 */
public final class HeadroomRecvByteBufAllocator implements RecvByteBufAllocator {

    /** Room for a Data indication header: 20 (STUN) + 24 (XOR-PEER-ADDRESS, IPv6) + 4 (DATA). */
    public static final int HEADROOM = 48;
    /** Room for the padding of a Data indication (up to 3 bytes). */
    static final int TAILROOM = 4;

    private final RecvByteBufAllocator delegate;
    private final int datagramLimit;
    private ByteBuf reading;

    /** @param datagramLimit the largest datagram received whole; a longer one is {@link #oversized} */
    public HeadroomRecvByteBufAllocator(int datagramLimit) {
        this.datagramLimit = datagramLimit;
        this.delegate = new FixedRecvByteBufAllocator(datagramLimit + 1);
    }

    /** Whether a datagram of {@code length} bytes read through this allocator is over its limit (so may be cut). */
    public boolean oversized(int length) {
        return length > datagramLimit;
    }

    @Override
    public Handle newHandle() {
        return new Headroom((ExtendedHandle) delegate.newHandle());
    }

    /**
     * The frame around {@code content}, if {@code content} is the datagram this allocator's channel is
     * reading: then it returns the frame with its reader index at the datagram's first byte (at least
     * {@link #HEADROOM} bytes in) and its writer index after its last, owning one reference, and
     * releases {@code content}. Otherwise (a buffer from elsewhere) it returns {@code null} and leaves
     * {@code content} alone.
     */
    public ByteBuf claimFrame(ByteBuf content) {
        ByteBuf frame = reading;
        if (frame == null || frame.refCnt() == 0 || !startsAt(content, frame, HEADROOM)) {
            return null;
        }
        reading = null;
        int length = content.readableBytes();
        if (HEADROOM + length > frame.capacity() - TAILROOM) {
            return null;
        }
        frame.retain().setIndex(HEADROOM, HEADROOM + length);
        content.release();
        return frame;
    }

    /** Whether the readable bytes of {@code content} are the bytes of {@code frame} from {@code offset}. */
    private static boolean startsAt(ByteBuf content, ByteBuf frame, int offset) {
        if (content.hasMemoryAddress() && frame.hasMemoryAddress()) {
            return content.memoryAddress() + content.readerIndex() == frame.memoryAddress() + offset;
        }
        if (content.hasArray() && frame.hasArray()) {
            return content.array() == frame.array()
                    && content.arrayOffset() + content.readerIndex() == frame.arrayOffset() + offset;
        }
        return false;
    }

    private final class Headroom extends DelegatingHandle implements ExtendedHandle {
        private final ExtendedHandle inner;

        Headroom(ExtendedHandle inner) {
            super(inner);
            this.inner = inner;
        }

        @Override
        public ByteBuf allocate(ByteBufAllocator alloc) {
            int size = guess();
            ByteBuf frame = alloc.ioBuffer(HEADROOM + size + TAILROOM);
            ByteBuf datagram = frame.retainedSlice(HEADROOM, size).clear();
            frame.release(); // the slice holds the frame from here on
            reading = frame;
            return datagram;
        }

        @Override
        public void readComplete() {
            reading = null;
            super.readComplete();
        }

        @Override
        public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
            return inner.continueReading(maybeMoreDataSupplier);
        }
    }
}
