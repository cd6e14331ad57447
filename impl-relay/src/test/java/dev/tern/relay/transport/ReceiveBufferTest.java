package dev.tern.relay.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

/** Which memory each read of a {@link ReceiveBuffer} gets. */
class ReceiveBufferTest {

    @Test
    void aReadAfterTheLastSliceWasReleasedGetsTheSameMemory() {
        ReceiveBuffer buffer = new ReceiveBuffer(1024);
        ByteBuf first = buffer.slice(1024);
        long address = first.memoryAddress();
        first.release();
        ByteBuf second = buffer.slice(512);
        assertEquals(address, second.memoryAddress());
        assertEquals(512, second.writableBytes());
        second.release();
    }

    @Test
    void aReadWhileASliceIsHeldGetsOtherMemoryAndTheHeldMemoryIsTakenAgainOnceReleased() {
        ReceiveBuffer buffer = new ReceiveBuffer(64);
        ByteBuf held = buffer.slice(64).writeLong(0x1122334455667788L);
        ByteBuf next = buffer.slice(64);
        assertNotEquals(held.memoryAddress(), next.memoryAddress());
        next.writeLong(-1L);
        assertEquals(0x1122334455667788L, held.getLong(0), "a held datagram is never overwritten");

        // The loop's writes lag one turn behind its reads: each read finds the one before still held.
        long heldAddress = held.memoryAddress();
        long nextAddress = next.memoryAddress();
        held.release();
        ByteBuf third = buffer.slice(64);
        assertEquals(heldAddress, third.memoryAddress(), "the released memory is read into again");
        next.release();
        ByteBuf fourth = buffer.slice(64);
        assertEquals(nextAddress, fourth.memoryAddress(), "no fresh memory while the two alternate");
        third.release();
        fourth.release();
    }

    @Test
    void aReadLargerThanTheBufferGetsMemoryOfItsSize() {
        ReceiveBuffer buffer = new ReceiveBuffer(16);
        ByteBuf slice = buffer.slice(100);
        assertEquals(100, slice.writableBytes());
        slice.release();
    }
}
