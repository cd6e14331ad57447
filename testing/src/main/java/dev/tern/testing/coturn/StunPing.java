package dev.tern.testing.coturn;

import dev.tern.testing.FreePorts;
import dev.tern.testing.Processes;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Waits until a server on loopback answers STUN. Stateless and thread-safe. */
final class StunPing {

    private StunPing() {
    }

    /**
     * Sends a STUN Binding request to {@code port} every 200 ms until anything answers.
     *
     * @throws IOException when {@code server} exits first or nothing answers within {@code timeout}; the
     *         message carries the server's {@code log}
     */
    static void await(int port, Process server, Path log, Duration timeout) throws IOException {
        byte[] request = new byte[20];
        request[1] = 0x01; // Binding request, no attributes
        request[4] = 0x21; // magic cookie
        request[5] = 0x12;
        request[6] = (byte) 0xA4;
        request[7] = 0x42;
        byte[] transactionId = new byte[12];
        ThreadLocalRandom.current().nextBytes(transactionId);
        System.arraycopy(transactionId, 0, request, 8, 12);
        try (DatagramSocket socket = new DatagramSocket(0, FreePorts.LOOPBACK)) {
            socket.setSoTimeout(200);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (!server.isAlive()) {
                    throw new IOException("the server on port " + port + " exited with " + server.exitValue() + ":\n"
                            + Processes.read(log));
                }
                socket.send(new DatagramPacket(request, request.length, FreePorts.LOOPBACK, port));
                try {
                    socket.receive(new DatagramPacket(new byte[1500], 1500));
                    return;
                } catch (SocketTimeoutException notYet) {
                    // retry until the deadline
                }
            }
        }
        throw new IOException("nothing answered STUN on port " + port + " within " + timeout.toSeconds() + " s:\n"
                + Processes.read(log));
    }
}
