package dev.tern.testing.coturn;

import dev.tern.testing.FreePorts;
import dev.tern.testing.Processes;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
        try (DatagramSocket socket = new DatagramSocket(0, FreePorts.LOOPBACK)) {
            socket.setSoTimeout(200);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                socket.send(new DatagramPacket(new byte[] {1, 2, 3, 4}, 4, FreePorts.LOOPBACK, port));
                try {
                    socket.receive(new DatagramPacket(new byte[64], 64));
                    return;
                } catch (SocketTimeoutException notYet) {
                    // retry until the deadline
                }
            }
        }
        throw new IOException("turnutils_peer did not echo on port " + port + " within 10 s:\n" + Processes.read(log));
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
