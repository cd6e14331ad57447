package dev.tern.credentials.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** A real coturn {@code turnserver} on loopback with TURN REST API secrets, started and stopped by a test. */
public final class Turnserver implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final int port;

    private Turnserver(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /**
     * Starts coturn with {@code use-auth-secret} and one {@code static-auth-secret} per given secret, and waits
     * (at most 15 s) until it answers a STUN Binding request.
     */
    public static Turnserver start(List<String> secrets, String realm, Path dir) throws Exception {
        Path binary = CoturnTools.require("turnserver");
        int port = CoturnTools.freeUdpAndTcpPort();
        int[] relayPorts = CoturnTools.randomPortRange(200);
        List<String> command = new ArrayList<>(List.of(binary.toString(), "-n", "-v", "--use-auth-secret"));
        secrets.forEach(s -> command.add("--static-auth-secret=" + s));
        command.addAll(List.of("--realm=" + realm, "--allow-loopback-peers", "--listening-ip=127.0.0.1",
                "--relay-ip=127.0.0.1", "--listening-port=" + port, "--min-port=" + relayPorts[0],
                "--max-port=" + relayPorts[1], "--no-cli", "--no-tls", "--no-dtls", "--log-file=stdout",
                "--pidfile=" + dir.resolve("turnserver-" + port + ".pid"),
                "--userdb=" + dir.resolve("turnserver-" + port + ".sqlite")));
        Path log = dir.resolve("turnserver-" + port + ".log");
        Turnserver server = new Turnserver(CoturnTools.start(command, log), log, port);
        try {
            server.awaitReady();
        } catch (Throwable e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void awaitReady() throws IOException {
        byte[] request = new byte[20];
        request[1] = 0x01; // Binding request
        request[4] = 0x21;
        request[5] = 0x12;
        request[6] = (byte) 0xA4;
        request[7] = 0x42;
        byte[] transactionId = new byte[12];
        ThreadLocalRandom.current().nextBytes(transactionId);
        System.arraycopy(transactionId, 0, request, 8, 12);
        try (DatagramSocket socket = new DatagramSocket(0, CoturnTools.LOOPBACK)) {
            socket.setSoTimeout(200);
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    fail("turnserver exited with " + process.exitValue() + ":\n" + log());
                }
                socket.send(new DatagramPacket(request, request.length, CoturnTools.LOOPBACK, port));
                try {
                    socket.receive(new DatagramPacket(new byte[1500], 1500));
                    return;
                } catch (SocketTimeoutException notYet) {
                    // retry until the deadline
                }
            }
        }
        fail("turnserver did not answer STUN on port " + port + " within 15 s:\n" + log());
    }

    public int port() {
        return port;
    }

    /** Everything coturn has logged so far. */
    public String log() {
        try {
            return Files.readString(log, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        CoturnTools.stop(process);
    }
}
