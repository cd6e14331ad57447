package dev.tern.relay.kernel;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.Optional;

/** A real UDP socket bound to an ephemeral port, for the kernel plane tests. Not thread-safe. */
final class UdpSocket implements AutoCloseable {

    /** A datagram as received: its sender and bytes. */
    record Datagram(InetSocketAddress from, byte[] data) {
    }

    private final DatagramChannel channel;
    private final Selector selector;

    UdpSocket(InetAddress bind) throws IOException {
        channel = DatagramChannel.open();
        channel.bind(new InetSocketAddress(bind, 0));
        channel.configureBlocking(false);
        selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
    }

    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    void send(byte[] data, SocketAddress to) throws IOException {
        channel.send(ByteBuffer.wrap(data), to);
    }

    /** The next datagram within {@code wait}, or empty. */
    Optional<Datagram> receive(Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        ByteBuffer buf = ByteBuffer.allocate(65536);
        while (true) {
            SocketAddress from = channel.receive(buf);
            if (from != null) {
                buf.flip();
                byte[] data = new byte[buf.remaining()];
                buf.get(data);
                return Optional.of(new Datagram((InetSocketAddress) from, data));
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            selector.select(Math.max(1, left / 1_000_000));
            selector.selectedKeys().clear();
        }
    }

    @Override
    public void close() throws IOException {
        selector.close();
        channel.close();
    }
}
