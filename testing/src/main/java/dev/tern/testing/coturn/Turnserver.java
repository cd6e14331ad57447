package dev.tern.testing.coturn;

import dev.tern.testing.FreePorts;
import dev.tern.testing.PortRange;
import dev.tern.testing.Processes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A real coturn {@code turnserver} on loopback, started and stopped by a test (or a benchmark).
 *
 * <p>Built with {@link #builder}: either coturn's flags for a loopback relay ({@code -n}, listening and relaying
 * on 127.0.0.1, loopback peers allowed, no CLI/TLS/DTLS), with TURN REST secrets, realm, relay ports and extra
 * flags, or a config file of its own ({@code -c FILE}). Either way its pid file, user database and log
 * ({@code --log-file=stdout}, captured) go in the given directory, named after its port.
 *
 * <p>Thread-safe. {@link Builder#start()} returns only once the server answers a STUN Binding (at most 15 s unless
 * {@link Builder#startTimeout} says otherwise), else it stops the process and throws with coturn's log. {@link #close()} stops it and its children (bounded).
 */
public final class Turnserver implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final int port;

    private Turnserver(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** A turnserver whose files go in {@code dir} (which must exist). */
    public static Builder builder(Path dir) {
        return new Builder(dir);
    }

    /**
     * Starts coturn with {@code use-auth-secret}, one {@code static-auth-secret} per given secret (the first signs,
     * all verify), this realm, 200 random relay ports, and verbose logging.
     */
    public static Turnserver withAuthSecrets(List<String> secrets, String realm, Path dir) throws IOException {
        return builder(dir).authSecrets(secrets).realm(realm).arguments(List.of("-v")).start();
    }

    /** The UDP (and TCP, unless disabled) port it listens on, on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** Where it listens. */
    public InetSocketAddress address() {
        return new InetSocketAddress(FreePorts.LOOPBACK, port);
    }

    /** The process id (for CPU accounting). */
    public long pid() {
        return process.pid();
    }

    /** Everything coturn has logged so far. */
    public String log() {
        return Processes.read(log);
    }

    @Override
    public void close() {
        Processes.stop(process);
    }

    /** How to start a turnserver. Not thread-safe; use it from one thread, then discard it. */
    public static final class Builder {

        private final Path dir;
        private final List<String> secrets = new ArrayList<>();
        private final List<String> arguments = new ArrayList<>();
        private final List<String> launcher = new ArrayList<>();
        private String realm = "example.org";
        private PortRange relayPorts;
        private int port;
        private Path configFile;
        private Duration startTimeout = Duration.ofSeconds(15);

        private Builder(Path dir) {
            this.dir = Objects.requireNonNull(dir, "dir");
        }

        /** TURN REST API auth ({@code use-auth-secret}) with these secrets; none means no auth flags. */
        public Builder authSecrets(List<String> values) {
            secrets.clear();
            secrets.addAll(values);
            return this;
        }

        /** The realm ({@code example.org} unless set). */
        public Builder realm(String value) {
            realm = Objects.requireNonNull(value, "realm");
            return this;
        }

        /** The relay ports ({@code min-port}, {@code max-port}); a random block of 200 unless set. */
        public Builder relayPorts(PortRange value) {
            relayPorts = Objects.requireNonNull(value, "relayPorts");
            return this;
        }

        /** The listening port; a port free for UDP and TCP unless set. With a config file: the port it names. */
        public Builder port(int value) {
            port = value;
            return this;
        }

        /** More coturn flags, added after the built-in ones (e.g. {@code -v}, {@code --no-tcp}). */
        public Builder arguments(List<String> values) {
            arguments.addAll(values);
            return this;
        }

        /** Words put before the command, e.g. {@code [taskset, -c, 1]} to pin it to a CPU. */
        public Builder launcher(List<String> words) {
            launcher.clear();
            launcher.addAll(words);
            return this;
        }

        /**
         * Runs {@code turnserver -c FILE} instead of the built-in loopback flags (secrets, realm and relay
         * ports then come from the file); {@link #port} must name the port the file listens on.
         */
        public Builder configFile(Path file) {
            configFile = Objects.requireNonNull(file, "file");
            return this;
        }

        /**
         * How long {@link #start()} waits for the first STUN answer (15 s unless set): a test that expects a
         * turnserver never to answer sets less, so it does not wait the whole 15 s for what it expects.
         */
        public Builder startTimeout(Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("startTimeout must be positive, was " + value);
            }
            startTimeout = value;
            return this;
        }

        /**
         * Starts it and waits until it answers STUN.
         *
         * @throws IOException when it exits or does not answer within the start timeout (coturn's log in the message)
         * @throws IllegalStateException when coturn is not installed, or a config file is given without a port
         */
        public Turnserver start() throws IOException {
            if (configFile != null && port == 0) {
                throw new IllegalStateException("a turnserver started with a config file needs port(...)");
            }
            int listening = port != 0 ? port : FreePorts.udpAndTcp();
            List<String> command = new ArrayList<>(launcher);
            command.add(CoturnTools.require("turnserver").toString());
            if (configFile != null) {
                command.addAll(List.of("-c", configFile.toString()));
            } else {
                PortRange relay = relayPorts != null ? relayPorts : FreePorts.relayRange(200);
                command.add("-n");
                if (!secrets.isEmpty()) {
                    command.add("--use-auth-secret");
                    secrets.forEach(s -> command.add("--static-auth-secret=" + s));
                }
                command.addAll(List.of("--realm=" + realm, "--allow-loopback-peers", "--listening-ip=127.0.0.1",
                        "--relay-ip=127.0.0.1", "--listening-port=" + listening, "--min-port=" + relay.min(),
                        "--max-port=" + relay.max(), "--no-cli", "--no-tls", "--no-dtls"));
            }
            command.addAll(List.of("--log-file=stdout", "--pidfile=" + dir.resolve("turnserver-" + listening + ".pid"),
                    "--userdb=" + dir.resolve("turnserver-" + listening + ".sqlite")));
            command.addAll(arguments);
            Path log = dir.resolve("turnserver-" + listening + ".log");
            Turnserver server = new Turnserver(Processes.start(command, log), log, listening);
            try {
                StunPing.await(listening, server.process, log, startTimeout);
            } catch (IOException | RuntimeException e) {
                server.close();
                throw e;
            }
            return server;
        }
    }
}
