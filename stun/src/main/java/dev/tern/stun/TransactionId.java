package dev.tern.stun;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The 96-bit transaction id of a STUN message, as two numbers so it is cheap to compare and hash.
 *
 * <p>Immutable and thread-safe.
 *
 * @param high the first 8 bytes, big-endian
 * @param low the last 4 bytes, big-endian
 */
public record TransactionId(long high, int low) {

    /** Reads 12 bytes at {@code index} without moving the buffer's indexes. */
    public static TransactionId read(ByteBuf buf, int index) {
        return new TransactionId(buf.getLong(index), buf.getInt(index + 8));
    }

    /** A random transaction id, for clients. */
    public static TransactionId random() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return new TransactionId(r.nextLong(), r.nextInt());
    }

    /** Writes the 12 bytes at the buffer's writer index. */
    public void writeTo(ByteBuf buf) {
        buf.writeLong(high).writeInt(low);
    }

    /** The 12 bytes. */
    public byte[] toBytes() {
        byte[] b = new byte[12];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (high >>> (56 - 8 * i));
        }
        for (int i = 0; i < 4; i++) {
            b[8 + i] = (byte) (low >>> (24 - 8 * i));
        }
        return b;
    }
}
