package dev.tern.relay.kernel;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** ChannelData framing for the kernel plane tests, written by hand so the test does not trust the code it checks. */
final class ChannelDataFrames {

    private ChannelDataFrames() {
    }

    /** A ChannelData message: channel, length, payload, then {@code padding} zero bytes. */
    static byte[] frame(int channel, byte[] payload, int padding) {
        return ByteBuffer.allocate(4 + payload.length + padding).putShort((short) channel)
                .putShort((short) payload.length).put(payload).array();
    }

    /** A payload of {@code size} bytes that differ from one another (so a shifted copy would show). */
    static byte[] payload(int size, int seed) {
        byte[] p = new byte[size];
        for (int i = 0; i < size; i++) {
            p[i] = (byte) (seed * 31 + i * 7 + 1);
        }
        return p;
    }

    static byte[] withoutHeader(byte[] frame) {
        return Arrays.copyOfRange(frame, 4, frame.length);
    }
}
