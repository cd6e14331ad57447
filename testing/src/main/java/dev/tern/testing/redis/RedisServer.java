package dev.tern.testing.redis;

import dev.tern.testing.FreePorts;
import dev.tern.testing.Processes;
import dev.tern.testing.SelfSignedCertificate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A real {@code redis-server} on a loopback port, started and stopped by a test: its own directory, no
 * persistence ({@code --save ''}, {@code --appendonly no}), never the system's instance. Optionally with a
 * password ({@code requirepass}) and TLS only (a self-signed certificate for 127.0.0.1 made with OpenSSL; clients
 * are not asked for certificates).
 *
 * <p>{@link #kill()} makes an outage as a crash does (SIGKILL, the data is gone); {@link #restart()} brings an
 * empty server back on the same port. Thread-safe. {@link #start} returns once the port accepts connections (at
 * most 10 s), else it stops the process and throws with its log. {@link #close()} stops it (bounded).
 */
public final class RedisServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final String INSTALL_HINT = "install Debian's redis-server (see .ci/run)";

    private final Path dir;
    private final int port;
    private final Optional<String> password;
    private final Optional<Path> certificate;
    private volatile Process process;

    private RedisServer(Path dir, int port, Optional<String> password, Optional<Path> certificate) {
        this.dir = dir;
        this.port = port;
        this.password = password;
        this.certificate = certificate;
    }

    /** Starts a server without password or TLS in {@code dir} (which must exist). */
    public static RedisServer start(Path dir) throws IOException {
        return start(dir, Optional.empty(), false);
    }

    /**
     * Starts a server in {@code dir} (which must exist).
     *
     * @param password the password clients must give ({@code AUTH}), if any
     * @param tls whether the port speaks TLS only; the certificate is {@link #certificate()}
     * @throws IOException when the server does not start (with its log)
     * @throws IllegalStateException when redis-server (or, for TLS, openssl) is not installed
     */
    public static RedisServer start(Path dir, Optional<String> password, boolean tls) throws IOException {
        Objects.requireNonNull(password, "password");
        Optional<Path> certificate = Optional.empty();
        if (tls) {
            Path cert = dir.resolve("redis-cert.pem");
            SelfSignedCertificate.write(cert, dir.resolve("redis-key.pem"), "127.0.0.1");
            certificate = Optional.of(cert);
        }
        RedisServer server = new RedisServer(dir, FreePorts.udpAndTcp(), password, certificate);
        try {
            server.launch();
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** {@code redis://127.0.0.1:PORT} or {@code rediss://...} with TLS; the password is never in it. */
    public String uri() {
        return (certificate.isPresent() ? "rediss" : "redis") + "://127.0.0.1:" + port;
    }

    /** The port it listens on, on 127.0.0.1 (the same after {@link #restart()}). */
    public int port() {
        return port;
    }

    /** The self-signed certificate (PEM) a TLS server presents, for clients to trust. */
    public Optional<Path> certificate() {
        return certificate;
    }

    /** Whether the process is running. */
    public boolean running() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** Kills the server with SIGKILL, as a crash does: the outage. Idempotent. */
    public void kill() {
        Process p = process;
        process = null;
        if (p != null) {
            p.destroyForcibly();
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Starts the server again on the same port, empty.
     *
     * @throws IOException when it does not come back within 10 s
     */
    public void restart() throws IOException {
        if (!running()) {
            launch();
        }
    }

    /** What the server has logged. */
    public String log() {
        return Processes.read(logFile());
    }

    @Override
    public void close() {
        Process p = process;
        process = null;
        Processes.stop(p);
    }

    private Path logFile() {
        return dir.resolve("redis-" + port + ".log");
    }

    private void launch() throws IOException {
        Path binary = Processes.require("redis-server", INSTALL_HINT);
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no"));
        if (certificate.isPresent()) {
            command.addAll(List.of("--port", "0", "--tls-port", Integer.toString(port),
                    "--tls-cert-file", certificate.get().toString(),
                    "--tls-key-file", dir.resolve("redis-key.pem").toString(), "--tls-auth-clients", "no"));
        } else {
            command.addAll(List.of("--port", Integer.toString(port)));
        }
        if (password.isPresent()) {
            // Given on the command line: this is a test's throwaway password on a test's own server.
            command.addAll(List.of("--requirepass", password.get()));
        }
        Process started = Processes.start(command, logFile());
        process = started;
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!started.isAlive()) {
                throw new IOException("redis-server exited with " + started.exitValue() + " on port " + port + ":\n"
                        + log());
            }
            if (log().contains("Ready to accept connections")) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(FreePorts.LOOPBACK, port), 200);
                    return;
                } catch (IOException notYet) {
                    // fall through to wait
                }
            }
            sleep(20);
        }
        close();
        throw new IOException("redis-server did not accept connections on port " + port + " within "
                + START_TIMEOUT + ":\n" + log());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted while waiting for redis-server", e));
        }
    }
}
