package dev.tern.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP echo peer on loopback: every datagram goes back to where it came from (the relay port of
 * an allocation). Counts what it received, which is the number of client-to-peer relayed packets.
 *
 * <p>Thread-safe: one thread of its own; {@link #close()} stops it.
 */
public final class EchoPeer implements AutoCloseable {

    /** Told of each datagram on the echo peer's thread: when received and once sent back. */
    public interface Watcher {

        /** A datagram arrived; {@code datagram} is positioned at its start, to read (not to change). */
        void received(ByteBuffer datagram);

        /** The datagram went back (the send call returned). */
        void echoed(ByteBuffer datagram);
    }

    private static final Watcher NOBODY = new Watcher() {
        @Override
        public void received(ByteBuffer datagram) {
        }

        @Override
        public void echoed(ByteBuffer datagram) {
        }
    };

    private final DatagramChannel channel;
    private final Thread thread;
    private final AtomicLong received = new AtomicLong();
    private final Watcher watcher;

    /** Binds to a random port on {@code host} and starts echoing. */
    public EchoPeer(String host) throws IOException {
        this(host, NOBODY);
    }

    /** Binds to a random port on {@code host} and starts echoing, telling {@code watcher} of each datagram. */
    public EchoPeer(String host, Watcher watcher) throws IOException {
        this.watcher = watcher;
        channel = DatagramChannel.open();
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        channel.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
        channel.bind(new InetSocketAddress(host, 0));
        thread = new Thread(this::run, "echo-peer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Where allocations should send. */
    public InetSocketAddress address() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    /** Datagrams received so far. */
    public long received() {
        return received.get();
    }

    private void run() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(65536);
        try {
            while (true) {
                buffer.clear();
                SocketAddress from = channel.receive(buffer);
                received.incrementAndGet();
                buffer.flip();
                watcher.received(buffer);
                channel.send(buffer, from);
                watcher.echoed(buffer);
            }
        } catch (ClosedChannelException e) {
            // closed: done
        } catch (IOException e) {
            if (channel.isOpen()) {
                System.err.println("echo peer stopped: " + e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
