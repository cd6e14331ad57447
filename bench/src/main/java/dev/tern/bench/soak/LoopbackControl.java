package dev.tern.bench.soak;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A control for the steady flows: the same stop-and-wait UDP ping-pong over loopback, at the same rate and size,
 * with no relay in between (a socket and an echo socket of its own). What it loses, the loopback path lost
 * without any relay: on this project's shared machine, other processes attaching and detaching TC qdiscs and
 * BPF filters on {@code lo} dropped loopback datagrams now and then, with no socket counting a drop. A flow
 * loss while the control lost nothing is not explained this way.
 *
 * <p>Thread-safe: runs on a thread of its own; the counts may be read from any thread.
 */
final class LoopbackControl implements Runnable, AutoCloseable {

    private static final int ECHO_WAIT_MILLIS = 5000;

    private final int rate;
    private final int size;
    private final DatagramChannel client;
    private final DatagramChannel echo;
    private final Thread echoThread;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong late = new AtomicLong();

    LoopbackControl(int rate, int size) throws IOException {
        this.rate = rate;
        this.size = size;
        echo = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        client = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        client.connect(echo.getLocalAddress());
        client.socket().setSoTimeout(ECHO_WAIT_MILLIS);
        for (DatagramChannel c : new DatagramChannel[] {echo, client}) {
            c.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
        }
        echoThread = new Thread(this::echo, "soak-loopback-control-echo");
        echoThread.setDaemon(true);
        echoThread.start();
    }

    private void echo() {
        ByteBuffer buffer = ByteBuffer.allocate(2048);
        try {
            while (!stop.get()) {
                buffer.clear();
                java.net.SocketAddress from = echo.receive(buffer);
                buffer.flip();
                echo.send(buffer, from);
            }
        } catch (IOException e) {
            // closed: done
        }
    }

    /** Ends the ping-pong after the packet in flight. */
    void stop() {
        stop.set(true);
    }

    long sent() {
        return sent.get();
    }

    long received() {
        return received.get();
    }

    long late() {
        return late.get();
    }

    long lost() {
        return sent.get() - received.get() - late.get();
    }

    @Override
    public void run() {
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        byte[] in = new byte[2048];
        java.net.DatagramPacket reply = new java.net.DatagramPacket(in, in.length);
        long next = System.nanoTime();
        try {
            for (long seq = 0; !stop.get(); seq++) {
                ByteBuffer packet = ByteBuffer.allocate(size).putLong(0, seq);
                client.write(packet);
                sent.incrementAndGet();
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ECHO_WAIT_MILLIS);
                while (true) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0) {
                        break;
                    }
                    client.socket().setSoTimeout((int) left);
                    try {
                        client.socket().receive(reply);
                    } catch (SocketTimeoutException e) {
                        break;
                    }
                    long echoed = ByteBuffer.wrap(in).getLong(0);
                    if (echoed == seq) {
                        received.incrementAndGet();
                        break;
                    }
                    if (echoed < seq) {
                        late.incrementAndGet();
                    }
                }
                next = Math.max(next + interval, System.nanoTime());
                LockSupport.parkNanos(next - System.nanoTime());
            }
        } catch (IOException e) {
            // closed under it: done
        }
    }

    @Override
    public void close() throws IOException {
        stop();
        client.close();
        echo.close();
    }
}
