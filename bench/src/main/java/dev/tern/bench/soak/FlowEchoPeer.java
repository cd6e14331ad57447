package dev.tern.bench.soak;

import dev.tern.bench.load.EchoPeer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The steady flows' echo peer on loopback: an {@link EchoPeer} whose datagrams are counted per flow, by the flow
 * number its payload starts with ({@link SteadyFlow}), both as received and as sent back, so a lost packet can be
 * placed before or after the peer.
 *
 * <p>Thread-safe; {@link #close()} stops it.
 */
final class FlowEchoPeer implements AutoCloseable {

    private final AtomicLongArray received = new AtomicLongArray(SoakSettings.MAX_FLOWS);
    private final AtomicLongArray echoed = new AtomicLongArray(SoakSettings.MAX_FLOWS);
    private final EchoPeer peer;

    FlowEchoPeer() throws IOException {
        peer = new EchoPeer("127.0.0.1", new EchoPeer.Watcher() {
            @Override
            public void received(ByteBuffer datagram) {
                int id = flow(datagram);
                if (id >= 0) {
                    received.incrementAndGet(id);
                }
            }

            @Override
            public void echoed(ByteBuffer datagram) {
                int id = flow(datagram);
                if (id >= 0) {
                    echoed.incrementAndGet(id);
                }
            }
        });
    }

    /** The flow number a datagram starts with, or -1 when it is no flow's. */
    private static int flow(ByteBuffer datagram) {
        int id = datagram.limit() >= 12 ? datagram.getInt(0) : -1;
        return id >= 0 && id < SoakSettings.MAX_FLOWS ? id : -1;
    }

    InetSocketAddress address() throws IOException {
        return peer.address();
    }

    /** Datagrams of flow {@code id} received. */
    long received(int id) {
        return received.get(id);
    }

    /** Datagrams of flow {@code id} sent back (the send call returned). */
    long echoed(int id) {
        return echoed.get(id);
    }

    @Override
    public void close() throws IOException {
        peer.close();
    }
}
