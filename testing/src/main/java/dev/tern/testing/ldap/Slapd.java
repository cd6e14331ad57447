package dev.tern.testing.ldap;

import dev.tern.testing.FreePorts;
import dev.tern.testing.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenLDAP {@code slapd} on a loopback port, started and stopped by a test: its own config and
 * database under the given directory (never the system's), the {@code core}, {@code cosine},
 * {@code inetorgperson} and {@code nis} schemas (so {@code posixGroup}/{@code memberUid} exist), an
 * {@code mdb} database for one suffix with the {@code memberof} overlay (a {@code groupOfNames}'
 * {@code member} values get {@code memberOf} on the member's entry, as in production directories),
 * anonymous read, and {@code userPassword} usable only to bind.
 *
 * <p>{@link #stop()} makes an outage (the database stays on disk); {@link #restart()} brings the same
 * directory back on the same port. Entries are added with OpenLDAP's own {@code ldapadd} as the root DN.
 *
 * <p>Thread-safe. {@link #start} returns once the directory accepts connections (at most 15 s), else it
 * stops the process and throws with slapd's log. {@link #close()} stops it (bounded).
 */
public final class Slapd implements AutoCloseable {

    /** The DN the fixture binds as to add entries (the database's {@code rootdn}). */
    public static final String ROOT_DN = "cn=admin,dc=example,dc=org";

    private static final String ROOT_PASSWORD = "slapd-root-secret";
    private static final String SUFFIX = "dc=example,dc=org";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    private static final String INSTALL_HINT = "install Debian's slapd and ldap-utils (see .ci/run)";

    private final Path dir;
    private final Path config;
    private final int port;
    private volatile Process process;

    private Slapd(Path dir, Path config, int port) {
        this.dir = dir;
        this.config = config;
        this.port = port;
    }

    /**
     * Starts a directory for {@code dc=example,dc=org} in {@code dir} (which must exist) and loads the
     * LDIF (entries to add, in order; a group after its members so the overlay sets their
     * {@code memberOf}).
     *
     * @throws IOException when slapd does not start or the entries cannot be added (with the tools' output)
     * @throws IllegalStateException when slapd or ldapadd is not installed
     */
    public static Slapd start(Path dir, String ldif) throws IOException {
        Objects.requireNonNull(ldif, "ldif");
        Path slapd = slapdBinary();
        Processes.require("ldapadd", INSTALL_HINT);
        Path data = Files.createDirectories(dir.resolve("slapd-data"));
        Path config = dir.resolve("slapd.conf");
        Files.writeString(config, String.join("\n",
                "include /etc/ldap/schema/core.schema",
                "include /etc/ldap/schema/cosine.schema",
                "include /etc/ldap/schema/inetorgperson.schema",
                "include /etc/ldap/schema/nis.schema",
                "modulepath /usr/lib/ldap",
                "moduleload back_mdb",
                "moduleload memberof",
                "pidfile " + dir.resolve("slapd.pid"),
                "database mdb",
                "maxsize 10485760",
                "suffix \"" + SUFFIX + "\"",
                "rootdn \"" + ROOT_DN + "\"",
                "rootpw " + ROOT_PASSWORD,
                "directory " + data,
                "overlay memberof",
                "access to attrs=userPassword by anonymous auth by * none",
                "access to * by * read",
                ""));
        Slapd server = new Slapd(dir, config, FreePorts.udpAndTcp());
        try {
            server.launch(slapd);
            server.add(ldif);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** {@code ldap://127.0.0.1:PORT}. */
    public String url() {
        return "ldap://127.0.0.1:" + port;
    }

    /** The port it listens on, on 127.0.0.1 (the same after {@link #restart()}). */
    public int port() {
        return port;
    }

    /** Whether the slapd process is running. */
    public boolean running() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** Adds the LDIF's entries as the root DN, with {@code ldapadd}. */
    public void add(String ldif) throws IOException {
        runTool("ldapadd", ldif);
    }

    /** Applies an LDIF of changes ({@code changetype: modify} ...) as the root DN, with {@code ldapmodify}. */
    public void modify(String ldif) throws IOException {
        runTool("ldapmodify", ldif);
    }

    /** Stops slapd: the outage. The database stays; {@link #restart()} brings it back. Idempotent. */
    public void stop() {
        Process p = process;
        process = null;
        Processes.stop(p);
    }

    /**
     * Starts slapd again on the same port with the same data.
     *
     * @throws IOException when it does not come back within 15 s
     */
    public void restart() throws IOException {
        if (running()) {
            return;
        }
        launch(slapdBinary());
    }

    /** What slapd has logged (connection and operation lines: {@code -d stats}). */
    public String log() {
        return Processes.read(logFile());
    }

    @Override
    public void close() {
        stop();
    }

    private Path logFile() {
        return dir.resolve("slapd-" + port + ".log");
    }

    private static Path slapdBinary() {
        Path sbin = Path.of("/usr/sbin/slapd");
        return Files.isExecutable(sbin) ? sbin : Processes.require("slapd", INSTALL_HINT);
    }

    private void launch(Path slapd) throws IOException {
        // -d makes slapd stay in the foreground; "stats" logs connections and operations to its output.
        Process started = Processes.start(List.of(slapd.toString(), "-d", "stats", "-h", url() + "/",
                "-f", config.toString()), logFile());
        process = started;
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!started.isAlive()) {
                throw new IOException("slapd exited with " + started.exitValue() + " on port " + port + ":\n" + log());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(FreePorts.LOOPBACK, port), 200);
                return;
            } catch (IOException notYet) {
                sleep(20);
            }
        }
        stop();
        throw new IOException("slapd did not accept connections on port " + port + " within " + START_TIMEOUT
                + ":\n" + log());
    }

    private void runTool(String tool, String ldif) throws IOException {
        Process p = new ProcessBuilder(Processes.require(tool, INSTALL_HINT).toString(), "-x", "-H", url(),
                "-D", ROOT_DN, "-w", ROOT_PASSWORD).redirectErrorStream(true).start();
        p.getOutputStream().write(ldif.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(tool + " did not finish within 15 s: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException(tool + " interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(tool + " exited with " + p.exitValue() + ": " + output);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted while waiting for slapd", e));
        }
    }
}
