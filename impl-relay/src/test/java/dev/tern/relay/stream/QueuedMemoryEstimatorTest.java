package dev.tern.relay.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** A connection that stopped reading is held back by the memory its queue pins, not by payload bytes. */
class QueuedMemoryEstimatorTest {

    /** 20 readable bytes in a buffer that holds 1 KiB. */
    private static ByteBuf smallPayloadInABiggerBuffer() {
        return PooledByteBufAllocator.DEFAULT.ioBuffer(1024, 1024).writeZero(20);
    }

    private static boolean writableAfterQueueing(EmbeddedChannel connection, int buffers) {
        for (int i = 0; i < buffers; i++) {
            connection.write(smallPayloadInABiggerBuffer()); // queued, not flushed: as when the client's window is full
        }
        boolean writable = connection.isWritable();
        connection.finishAndReleaseAll();
        return writable;
    }

    @Test
    void countsABufferByItsCapacityWhetherBareOrInADatagram() {
        MessageSizeEstimator.Handle handle = QueuedMemoryEstimator.INSTANCE.newHandle();
        ByteBuf buf = smallPayloadInABiggerBuffer();
        try {
            assertEquals(1024, handle.size(buf));
            assertEquals(1024, handle.size(new DatagramPacket(buf.retain(), new InetSocketAddress(5000))));
            assertEquals(0, handle.size("not a buffer"));
        } finally {
            buf.release(buf.refCnt());
        }
    }

    @Test
    void sixtyFiveQueuedKibibyteBuffersMakeAConnectionUnwritableWhateverTheirPayload() {
        EmbeddedChannel connection = new EmbeddedChannel();
        connection.config().setMessageSizeEstimator(QueuedMemoryEstimator.INSTANCE);
        assertFalse(writableAfterQueueing(connection, 65), "65 KiB held exceed the 64 KiB high water mark");
    }

    @Test
    void byReadableBytesHundredsOfBuffersWouldQueue() {
        assertTrue(writableAfterQueueing(new EmbeddedChannel(), 100), "Netty's default counts 20 bytes a buffer");
    }
}
