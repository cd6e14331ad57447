package dev.tern.bench.load;

import dev.tern.relay.codec.StunClass;
import dev.tern.relay.codec.StunMessageWriter;
import dev.tern.relay.codec.StunMethod;
import dev.tern.relay.codec.TransactionId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * coturn's {@code turnserver} (Debian package {@code coturn}) on loopback with TURN REST auth
 * ({@code use-auth-secret}) and {@code allow-loopback-peers}, for load runs and the comparison.
 *
 * <p>{@link #start} fails with a message saying to install coturn when the binary is missing, and
 * waits (at most 10 s) until the server answers a STUN Binding. {@link #close()} destroys it.
 */
public final class Coturn implements RelayUnderTest {

    private final Process process;
    private final InetSocketAddress address;
    private final Path directory;

    private Coturn(Process process, InetSocketAddress address, Path directory) {
        this.process = process;
        this.address = address;
        this.directory = directory;
    }

    /** Starts turnserver with this shared secret on a free loopback port, with its default threads. */
    public static Coturn start(String secret) throws IOException, InterruptedException {
        return start(secret, 0, List.of());
    }

    /**
     * Starts turnserver with this shared secret on a free loopback port.
     *
     * @param relayThreads coturn's {@code relay-threads}, or 0 for its default (one per CPU)
     * @param launcher words put before the command, e.g. {@code [taskset, -c, 1]} to pin it
     */
    public static Coturn start(String secret, int relayThreads, List<String> launcher)
            throws IOException, InterruptedException {
        Path binary = Path.of("/usr/bin/turnserver");
        if (!Files.isExecutable(binary)) {
            throw new IOException("coturn's turnserver is not installed: run 'apt-get install -y coturn'");
        }
        int port = freeUdpPort();
        Path dir = Files.createTempDirectory("tern-bench-coturn");
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(binary.toString(), "-n", "--listening-ip=127.0.0.1",
                "--listening-port=" + port, "--relay-ip=127.0.0.1", "--use-auth-secret",
                "--static-auth-secret=" + secret, "--realm=bench", "--allow-loopback-peers", "--no-cli", "--no-tls",
                "--no-dtls", "--no-tcp", "--no-software-attribute",
                "--min-port=" + RELAY_PORT_LOW, "--max-port=" + RELAY_PORT_HIGH,
                "--pidfile=" + dir.resolve("turnserver.pid"), "--log-file=" + dir.resolve("turnserver.log"),
                "--simple-log", "--no-stdout-log", "--userdb=" + dir.resolve("turndb")));
        if (relayThreads > 0) {
            command.add("--relay-threads=" + relayThreads);
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile()).start();
        Coturn coturn = new Coturn(process, new InetSocketAddress("127.0.0.1", port), dir);
        try {
            coturn.awaitReady();
        } catch (IOException | RuntimeException e) {
            coturn.close();
            throw e;
        }
        return coturn;
    }

    @Override
    public String name() {
        return "coturn";
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout(200);
            ByteBuf request = Unpooled.buffer(20);
            StunMessageWriter.start(request, StunMethod.BINDING, StunClass.REQUEST, TransactionId.random()).finish();
            byte[] bytes = new byte[20];
            request.getBytes(0, bytes);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IOException("turnserver exited with " + process.exitValue() + "; see " + directory);
                }
                socket.send(new DatagramPacket(bytes, bytes.length, address));
                try {
                    socket.receive(new DatagramPacket(new byte[512], 512));
                    return;
                } catch (SocketTimeoutException e) {
                    Thread.sleep(50);
                }
            }
        }
        throw new IOException("turnserver did not answer a STUN Binding within 10 s; see " + directory);
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            return probe.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
