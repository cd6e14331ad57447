package dev.tern.relay.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * Receives each datagram of a relay socket so that it reaches the client in a <em>frame</em>: a buffer of the
 * datagram's own size with free space before it (for the ChannelData or Data indication header) and a little after
 * it (for padding), so the header is written in place.
 *
 * <p>The transport reads into a slice of the event loop's {@link ReceiveBuffer} (whatever it then does with the
 * buffer's indices: Netty 4.2's epoll datagram read sets the writer index to the datagram's length and hands on a
 * slice of it). While the pipeline handles the datagram, {@link #claimFrame} recognises it by its memory address,
 * which holds whichever transport, or whatever wrapping, did the read, and copies it once into its frame, allocated
 * from the channel's allocator. Before issue #16 point 2 the socket read straight into a pooled frame of 4 KiB and
 * nothing was copied; reading every datagram into a fresh 64 KiB frame instead cost more per packet than the copy of
 * a datagram out of a buffer that stays in the cache (README, Performance).
 *
 * <p>A datagram longer than the limit must be dropped, never relayed cut short, but neither transport
 * says when the kernel truncated one (Netty 4.2.18's epoll reads ignore MSG_TRUNC; NIO's receive has no
 * such flag): so the transport reads into room for one byte more than the limit, and a datagram that
 * fills it is over the limit ({@link #oversized}).
 *
 * <p>One instance per channel, used on its event loop only: it remembers the slice of the read in
 * progress (cleared when the read loop completes).
 */
public final class HeadroomRecvByteBufAllocator implements RecvByteBufAllocator {

    /** Room for a Data indication header: 20 (STUN) + 24 (XOR-PEER-ADDRESS, IPv6) + 4 (DATA). */
    public static final int HEADROOM = 48;
    /** Room for the padding of a Data indication (up to 3 bytes). */
    static final int TAILROOM = 4;

    private final RecvByteBufAllocator delegate;
    private final int datagramLimit;
    private final ReceiveBuffer receiveBuffer;
    private ByteBuf reading;
    private ByteBufAllocator frameAllocator;

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
        this.delegate = new FixedRecvByteBufAllocator(datagramLimit + 1);
        this.receiveBuffer = receiveBuffer;
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
     * The frame of {@code content}, if {@code content} is the datagram this allocator's channel is reading: a
     * buffer from the channel's allocator holding a copy of the datagram, its reader index at the datagram's first
     * byte ({@link #HEADROOM} bytes in) and its writer index after its last, with {@link #TAILROOM} bytes after
     * that; {@code content} is released. Otherwise (a buffer from elsewhere) it returns {@code null} and leaves
     * {@code content} alone.
     */
    public ByteBuf claimFrame(ByteBuf content) {
        ByteBuf slice = reading;
        if (slice == null || slice.refCnt() == 0 || !startsAt(content, slice)) {
            return null;
        }
        reading = null;
        int length = content.readableBytes();
        ByteBuf frame = frameAllocator.ioBuffer(HEADROOM + length + TAILROOM);
        frame.setIndex(HEADROOM, HEADROOM).writeBytes(content, content.readerIndex(), length);
        content.release();
        return frame;
    }

    /** Whether the readable bytes of {@code content} start where {@code slice}'s memory starts. */
    private static boolean startsAt(ByteBuf content, ByteBuf slice) {
        if (content.hasMemoryAddress() && slice.hasMemoryAddress()) {
            return content.memoryAddress() + content.readerIndex() == slice.memoryAddress();
        }
        if (content.hasArray() && slice.hasArray()) {
            return content.array() == slice.array()
                    && content.arrayOffset() + content.readerIndex() == slice.arrayOffset();
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
            frameAllocator = alloc;
            ByteBuf datagram = receiveBuffer.slice(guess());
            reading = datagram;
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
