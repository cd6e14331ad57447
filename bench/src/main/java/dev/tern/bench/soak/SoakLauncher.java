package dev.tern.bench.soak;

import dev.tern.testing.FreePorts;
import dev.tern.testing.PortRange;
import dev.tern.testing.Processes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The launcher jar ({@code tern serve}) in a JVM of its own, the way an operator runs it, with Netty's leak
 * detector at PARANOID: the relay on UDP, TCP and TLS (a self-signed certificate made with {@code openssl}),
 * the Matrix endpoints with one access token per soak user, and the admin server for status and metrics,
 * all on free loopback ports. Everything lives in {@code dir}; the JVM's output goes to {@code dir/tern.log}.
 *
 * <p>Not thread-safe to start and stop; the accessors are safe from any thread. {@link #close()} stops the
 * JVM (SIGTERM, then forcibly) and is idempotent.
 */
final class SoakLauncher implements AutoCloseable {

    /** The realm and server name of the soak's config. */
    static final String SERVER_NAME = "soak.test";
    /** The bandwidth quota of every allocation, in bits per second (policy {@code max_bitrate}). */
    static final long BITRATE_QUOTA = 1_000_000;

    private final Process process;
    private final Path log;
    private final Ports ports;
    private final Map<String, String> tokens;
    private final int allocationLifetimeSeconds;
    /** Stops the launcher's JVM when the soak is ended with Ctrl-C, which skips {@link #close()}. */
    private final Thread stopOnExit;

    /**
     * The loopback ports the launcher listens on.
     *
     * @param turn UDP and TCP TURN
     * @param tls TLS TURN
     * @param http the Matrix endpoints
     * @param admin the admin server
     */
    private record Ports(int turn, int tls, int http, int admin) {

        /** Four free ones. */
        static Ports free() throws IOException {
            return new Ports(FreePorts.udpAndTcp(), FreePorts.udpAndTcp(), FreePorts.udpAndTcp(),
                    FreePorts.udpAndTcp());
        }
    }

    private SoakLauncher(Process process, Path log, Ports ports, Map<String, String> tokens,
            int allocationLifetimeSeconds) {
        this.allocationLifetimeSeconds = allocationLifetimeSeconds;
        this.process = process;
        this.log = log;
        this.ports = ports;
        this.tokens = tokens;
        this.stopOnExit = new Thread(() -> Processes.stop(process), "soak-stop-launcher");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /**
     * Writes the config and the certificate into {@code dir} and starts {@code java -jar jar serve} there,
     * waiting (at most 90 s) until it prints "Ready.".
     *
     * @param users how many Matrix users (and access tokens) the config knows
     * @param allocationLifetimeSeconds how long every allocation lives unless refreshed (the relay's default and
     *     maximum lifetime both: coturn's uclient asks for 777 s and never deletes); short, so an abandoned
     *     allocation is gone soon and the soak can wait for the table to empty
     * @throws IOException when it cannot be started or does not get ready (its log is in the message)
     */
    static SoakLauncher start(Path jar, Path dir, int users, int allocationLifetimeSeconds, String dataPlane,
            List<String> jvmOptions, java.io.PrintStream progress) throws IOException, InterruptedException {
        requireFresh(jar, progress);
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(jar, dir, users, allocationLifetimeSeconds, dataPlane, jvmOptions);
            } catch (IOException e) {
                // A free port can be taken by another process between choosing it and the launcher binding it.
                // The launcher says "udp://127.0.0.1:3478: address already in use"; the JDK "Address already in use".
                if (attempt == 3 || e.getMessage() == null
                        || !e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("address already in use")) {
                    throw e;
                }
            }
        }
    }

    /**
     * Says which launcher jar the soak runs, and refuses one whose relay classes differ from the ones this
     * bench was built with: a stale jar would soak old relay code.
     */
    static void requireFresh(Path jar, java.io.PrintStream progress) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException("the launcher jar " + jar.toAbsolutePath()
                    + " does not exist (build it: mvn -pl examples/launcher -am package -DskipTests)");
        }
        dev.tern.testing.StaleClasses relay = dev.tern.testing.StaleClasses.in(jar, "dev/tern/relay/",
                SoakLauncher.class.getClassLoader());
        progress.println("[soak] launcher jar " + jar.toAbsolutePath() + ", " + Files.size(jar) + " bytes, modified "
                + Files.getLastModifiedTime(jar) + "; " + relay.compared() + " relay classes match this bench's");
        if (!relay.fresh() || relay.compared() == 0) {
            throw new IOException("the launcher jar " + jar.toAbsolutePath() + " holds "
                    + (relay.compared() == 0 ? "no relay classes"
                            : relay.differing().size() + " of " + relay.compared()
                            + " relay classes that differ from this bench's (" + relay.differing().stream().limit(3)
                                    .toList() + "...)")
                    + ": it is stale or from another build; re-package both: "
                    + "mvn -pl examples/launcher,bench -am package -DskipTests");
        }
    }

    private static SoakLauncher startOnce(Path jar, Path dir, int users, int allocationLifetimeSeconds,
            String dataPlane, List<String> jvmOptions)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        selfSigned(dir, cert, key);
        Ports ports = Ports.free();
        Map<String, String> tokens = new LinkedHashMap<>();
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < users; i++) {
            byte[] token = new byte[16];
            random.nextBytes(token);
            tokens.put("soak-" + HexFormat.of().formatHex(token), "@soak" + i + ":" + SERVER_NAME);
        }
        byte[] secret = new byte[24];
        random.nextBytes(secret);
        Path config = dir.resolve("tern.yaml");
        Files.writeString(config, config(dir, HexFormat.of().formatHex(secret), ports, FreePorts.relayRange(500), cert,
                key, tokens, dataPlane, allocationLifetimeSeconds), StandardCharsets.UTF_8);
        Path log = dir.resolve("tern.log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-Dio.netty.leakDetection.level=paranoid", "-jar", jar.toAbsolutePath().toString(),
                "serve", "--config", config.toString(), "--drain", "1s"));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        SoakLauncher launcher = new SoakLauncher(process, log, ports, Map.copyOf(tokens), allocationLifetimeSeconds);
        try {
            Processes.awaitOutput(process, log, "Ready.", Duration.ofSeconds(90));
            return launcher;
        } catch (AssertionError e) {
            launcher.close();
            // The test kit's wait speaks to tests; the soak reports it as the I/O failure it is, log included.
            throw new IOException("the launcher did not get ready: " + e.getMessage(), e);
        } catch (InterruptedException | RuntimeException e) {
            launcher.close();
            throw e;
        }
    }

    private static String config(Path dir, String secret, Ports ports, PortRange relayPorts, Path cert, Path key,
            Map<String, String> tokens, String dataPlane, int allocationLifetimeSeconds) {
        StringBuilder tokenMap = new StringBuilder();
        tokens.forEach((token, user) -> tokenMap.append(tokenMap.isEmpty() ? "" : ", ")
                .append('"').append(token).append("\": \"").append(user).append('"'));
        return """
                # Written by the soak command: every listener on loopback, short allocation lifetimes.
                server_name: %1$s
                data_directory: "%2$s"
                credentials:
                  type: rest
                  secrets: ["%3$s"]
                  lifetime: 1d
                  uris: ["turn:127.0.0.1:%4$d?transport=udp", "turn:127.0.0.1:%4$d?transport=tcp", "turns:127.0.0.1:%5$d?transport=tcp"]
                policy:
                  defaults:
                    max_bitrate: %6$d
                relay:
                  type: netty
                  realm: %1$s
                  listen: ["udp://127.0.0.1:%4$d", "tcp://127.0.0.1:%4$d", "tls://127.0.0.1:%5$d"]
                  ports: %7$s
                  allowed_peers: ["127.0.0.1/32"]
                  channel_numbers: coturn   # turnutils_uclient binds channels above 0x4FFF
                  default_allocation_lifetime: %8$ds
                  max_allocation_lifetime: %8$ds
                  threads: 2
                  data_plane: %14$s
                  tls: { cert_file: "%9$s", key_file: "%10$s", handshake_timeout: 3s }
                  tcp: { first_message_timeout: 3s, idle_timeout: 60s }
                matrix:
                  listen: "127.0.0.1:%11$d"
                  access_tokens: { type: static, tokens: { %12$s } }
                  well_known: { m.homeserver: { base_url: "https://%1$s" } }
                  rate_limit: { per_second: 1, burst: 10, max_users: 1000 }
                  connections: { idle_timeout: 5s }   # pooled client connections go soon: quiet moments hold none
                  unknown_token_limit: { per_second: 1, burst: 10, max_addresses: 1000 }
                  trusted_proxies: ["127.0.0.1"]
                metrics:
                  listen: "http://127.0.0.1:%13$d"
                  connections: { idle_timeout: 5s }
                """.formatted(SERVER_NAME, dir.resolve("tern-data"), secret, ports.turn(), ports.tls(), BITRATE_QUOTA,
                relayPorts, allocationLifetimeSeconds, cert, key, ports.http(), tokenMap, ports.admin(), dataPlane);
    }

    private static void selfSigned(Path dir, Path cert, Path key) throws IOException, InterruptedException {
        Path openssl = Processes.require("openssl", "install the openssl package");
        Path log = dir.resolve("openssl.log");
        Process p = Processes.start(List.of(openssl.toString(), "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-keyout", key.toString(),
                "-out", cert.toString()), log);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            Processes.stop(p);
            throw new IOException("openssl could not make a self-signed certificate:\n" + Processes.read(log));
        }
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    /** Everything the launcher has printed so far. */
    String output() {
        return Processes.read(log);
    }

    /** How long every allocation lives unless refreshed. */
    int allocationLifetimeSeconds() {
        return allocationLifetimeSeconds;
    }

    /** The launcher's line saying which data plane runs and why, or "data plane: not logged". */
    String dataPlane() {
        return output().lines().filter(l -> l.contains("data plane:")).findFirst()
                .map(l -> l.substring(l.indexOf("data plane:")).strip()).orElse("data plane: not logged");
    }

    /** UDP and TCP TURN. */
    InetSocketAddress turn() {
        return new InetSocketAddress("127.0.0.1", ports.turn());
    }

    /** TLS TURN ({@code turns:}). */
    InetSocketAddress turns() {
        return new InetSocketAddress("127.0.0.1", ports.tls());
    }

    /** The Matrix endpoints: {@code http://127.0.0.1:PORT}. */
    InetSocketAddress http() {
        return new InetSocketAddress("127.0.0.1", ports.http());
    }

    /** The admin server: status, metrics. */
    URI admin() {
        return URI.create("http://127.0.0.1:" + ports.admin() + "/");
    }

    /** The relay's self-signed certificate (PEM), for TLS clients to trust. */
    Path certificate() {
        return log.resolveSibling("cert.pem");
    }

    /** Access token to user id. */
    Map<String, String> tokens() {
        return tokens;
    }

    @Override
    public void close() {
        Processes.stop(process);
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs anyway, and finds the process ended
        }
    }
}
