package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tern.spi.RelayListener;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/** Records what each data plane relayed each way, from the relay's {@code relayedBy} events. Thread-safe. */
final class PlaneTraffic implements RelayListener {

    private final AtomicLongArray packets = new AtomicLongArray(4);
    private final AtomicLongArray bytes = new AtomicLongArray(4);

    @Override
    public void relayedBy(Plane plane, Direction direction, long packetCount, long byteCount) {
        packets.addAndGet(index(plane, direction), packetCount);
        bytes.addAndGet(index(plane, direction), byteCount);
    }

    long packets(Plane plane, Direction direction) {
        return packets.get(index(plane, direction));
    }

    long bytes(Plane plane, Direction direction) {
        return bytes.get(index(plane, direction));
    }

    /**
     * Waits (at most 5 s) until the relay has reported {@code sent} packets each way, then asserts the kernel
     * carried all of them, {@code length} payload bytes each, and user space none.
     */
    void assertKernelCarriedAll(long sent, int length) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (total(Direction.TO_PEER) < sent || total(Direction.FROM_PEER) < sent) {
            if (System.nanoTime() - deadline > 0) {
                break;
            }
            Thread.sleep(50);
        }
        for (Direction d : Direction.values()) {
            assertEquals(sent, packets(Plane.KERNEL, d), "the kernel carried every packet " + d);
            assertEquals(sent * length, bytes(Plane.KERNEL, d), "payload bytes " + d + ", as user space counts them");
            assertEquals(0, packets(Plane.USER, d), "user space carried none " + d);
        }
    }

    private long total(Direction direction) {
        return packets(Plane.KERNEL, direction) + packets(Plane.USER, direction);
    }

    private static int index(Plane plane, Direction direction) {
        return plane.ordinal() * 2 + direction.ordinal();
    }
}
