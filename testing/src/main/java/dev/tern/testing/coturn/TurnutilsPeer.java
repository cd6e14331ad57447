package dev.tern.testing.coturn;

import dev.tern.testing.FreePorts;
import dev.tern.testing.Processes;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * coturn's {@code turnutils_peer} on loopback: a UDP echo peer that TURN clients relay to.
 *
 * <p>Thread-safe. {@link #start} returns only once the peer echoes (at most 10 s), else it stops the process
 * and throws; {@link #close()} stops it (bounded).
 */
public final class TurnutilsPeer implements AutoCloseable {

    private final Process process;
    private final int port;

    private TurnutilsPeer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the peer on a free loopback port, its output in {@code dir/peer-PORT.log}. */
    public static TurnutilsPeer start(Path dir) throws IOException {
        int port = FreePorts.udpAndTcp();
        return start(port, dir.resolve("peer-" + port + ".log"));
    }

    /**
     * Starts the peer on {@code port}, its output in {@code log}, and waits until it echoes.
     *
     * @throws IOException when it does not echo within 10 s
     * @throws IllegalStateException when coturn is not installed
     */
    public static TurnutilsPeer start(int port, Path log) throws IOException {
        Process process = Processes.start(List.of(CoturnTools.require("turnutils_peer").toString(), "-L", "127.0.0.1",
                "-p", Integer.toString(port)), log);
        TurnutilsPeer peer = new TurnutilsPeer(process, port);
        try {
            peer.awaitEcho(log);
        } catch (IOException | RuntimeException e) {
            peer.close();
            throw e;
        }
        return peer;
    }

    private void awaitEcho(Path log) throws IOException {
        InetSocketAddress echo = new InetSocketAddress(FreePorts.LOOPBACK, port);
        if (!echoes(new InetSocketAddress(FreePorts.LOOPBACK, 0), echo, Duration.ofSeconds(10))) {
            throw new IOException("turnutils_peer did not echo on port " + port + " within 10 s:\n"
                    + Processes.read(log));
        }
    }

    /**
     * Waits until a UDP echo peer (a {@code turnutils_peer} started some other way, in a network namespace or on
     * IPv6) answers a datagram sent from {@code from} (port 0 for any).
     *
     * @throws AssertionError when it has not echoed within {@code limit}
     */
    public static void awaitEcho(InetSocketAddress from, InetSocketAddress echo, Duration limit) throws IOException {
        if (!echoes(from, echo, limit)) {
            throw new AssertionError("the echo peer on " + echo + " did not echo within " + limit);
        }
    }

    private static boolean echoes(InetSocketAddress from, InetSocketAddress echo, Duration limit) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(from)) {
            socket.setSoTimeout(200);
            long deadline = System.nanoTime() + limit.toNanos();
            while (System.nanoTime() - deadline < 0) {
                socket.send(new DatagramPacket(new byte[] {1, 2, 3, 4}, 4, echo));
                try {
                    socket.receive(new DatagramPacket(new byte[64], 64));
                    return true;
                } catch (SocketTimeoutException notYet) {
                    // retry until the deadline
                }
            }
        }
        return false;
    }

    /** The UDP port it echoes on (loopback). */
    public int port() {
        return port;
    }

    @Override
    public void close() {
        Processes.stop(process);
    }
}
