package dev.tern.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class WholeFramesTest {

    private static ByteBuffer stream(int... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length);
        for (int v : values) {
            b.put((byte) v);
        }
        return b.flip();
    }

    @Test
    void aStunMessageIsItsHeaderAndLengthAndChannelDataIsPaddedToFour() {
        ByteBuffer stun = ByteBuffer.allocate(40).put(new byte[] {0x01, 0x01, 0x00, 0x04}).position(40).flip();
        assertEquals(24, WholeFrames.first(stun));
        assertEquals(0, stun.position(), "not consumed");
        assertEquals(8, WholeFrames.first(stream(0x40, 0x00, 0x00, 0x03, 1, 2, 3, 0, 0x40, 0x00)),
                "4 + 3 bytes, padded to 8");
    }

    @Test
    void aMessageNotAllThereYetIsZeroAndGarbageIsEverything() {
        assertEquals(0, WholeFrames.first(stream(0x40, 0x00)));
        assertEquals(0, WholeFrames.first(stream(0x40, 0x00, 0x00, 0x08, 1, 2, 3)));
        assertEquals(0, WholeFrames.first(stream(0x01, 0x01, 0x00, 0x00, 0x21, 0x12)));
        assertEquals(5, WholeFrames.first(stream(0x80, 0x00, 0x00, 0x00, 0x00)), "not TURN: all of it goes on");
        assertEquals(0, WholeFrames.first(stream(0x80, 0x00)), "under a header's 4 bytes: wait");
    }
}
