package dev.tern.relay.stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.relay.transport.HeadroomRecvByteBufAllocator;
import dev.tern.relay.transport.RelayPortBinder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/** A connection that stopped reading is held back by the memory its queue pins, not by payload bytes. */
class QueuedMemoryEstimatorTest {

    /** A peer's 20-byte datagram in the frame a relay socket receives it into. */
    private static ByteBuf smallDatagramInAFrame() {
        EmbeddedChannel relay = new EmbeddedChannel();
        relay.config().setRecvByteBufAllocator(new HeadroomRecvByteBufAllocator(RelayPortBinder.MAX_PEER_DATAGRAM));
        ByteBuf frame = relay.unsafe().recvBufAllocHandle().allocate(PooledByteBufAllocator.DEFAULT);
        relay.finishAndReleaseAll();
        return frame.writeZero(20);
    }

    private static boolean writableAfterQueueing(EmbeddedChannel connection, int frames) {
        for (int i = 0; i < frames; i++) {
            connection.write(smallDatagramInAFrame()); // queued, not flushed: as when the client's window is full
        }
        boolean writable = connection.isWritable();
        connection.finishAndReleaseAll();
        return writable;
    }

    @Test
    void twoQueuedFramesMakeAConnectionUnwritableWhateverTheirPayload() {
        EmbeddedChannel connection = new EmbeddedChannel();
        connection.config().setMessageSizeEstimator(QueuedMemoryEstimator.INSTANCE);
        assertFalse(writableAfterQueueing(connection, 2), "two 64 KiB frames exceed the 64 KiB high water mark");
    }

    @Test
    void byReadableBytesHundredsOfFramesWouldQueue() {
        assertTrue(writableAfterQueueing(new EmbeddedChannel(), 100), "Netty's default counts 20 bytes a frame");
    }
}
