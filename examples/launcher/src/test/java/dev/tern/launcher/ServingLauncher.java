package dev.tern.launcher;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.testing.FreePorts;
import dev.tern.testing.Processes;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The README's run command for real: {@code java -jar target/tern-launcher.jar serve} with the embedded default
 * on free loopback ports, in a directory of the test's, started and waited for until it prints "Ready."
 * (at most 60 s). {@link #close()} stops it (bounded). Not thread-safe: one test drives it.
 */
final class ServingLauncher implements AutoCloseable {

    private static final Path JAR = Path.of("target", "tern-launcher.jar");
    private static final Pattern CURL = Pattern.compile("curl -H 'Authorization: Bearer (\\S+)' (\\S+)");

    private final Process process;
    private final Path log;
    private final int relayPort;
    private final int httpPort;
    private final int adminPort;
    private final String banner;

    private ServingLauncher(Process process, Path log, int relayPort, int httpPort, int adminPort, String banner) {
        this.process = process;
        this.log = log;
        this.relayPort = relayPort;
        this.httpPort = httpPort;
        this.adminPort = adminPort;
        this.banner = banner;
    }

    /** Starts {@code serve} in {@code dir} (its data directory {@code dir/tern-data}), logging to {@code dir/tern.log}. */
    static ServingLauncher start(Path dir) throws Exception {
        int relayPort = FreePorts.udpAndTcp();
        int httpPort = FreePorts.udpAndTcp();
        int adminPort = FreePorts.udpAndTcp();
        return start(dir, List.of(), List.of("--relay-port", Integer.toString(relayPort), "--http-port",
                Integer.toString(httpPort), "--admin-port", Integer.toString(adminPort)), relayPort, httpPort, adminPort);
    }

    /**
     * Starts {@code serve ARGS --drain 1s} ({@code --drain} unless ARGS has one) under {@code wrapper} (like {@code prlimit --nofile=1024}) in {@code dir},
     * logging to {@code dir/tern.log}; the ports are the ones the arguments (or the config they name) listen on.
     */
    static ServingLauncher start(Path dir, List<String> wrapper, List<String> serveArgs, int relayPort, int httpPort,
            int adminPort) throws Exception {
        assertTrue(Files.isRegularFile(JAR), "run mvn package first: " + JAR.toAbsolutePath() + " is missing");
        Path log = dir.resolve("tern.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(List.of(java, "-jar", JAR.toAbsolutePath().toString(), "serve"));
        command.addAll(serveArgs);
        if (!serveArgs.contains("--drain")) {
            command.addAll(List.of("--drain", "1s"));
        }
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            return new ServingLauncher(process, log, relayPort, httpPort, adminPort,
                    Processes.awaitOutput(process, log, "Ready.", Duration.ofSeconds(60)));
        } catch (Throwable e) {
            Processes.stop(process);
            throw e;
        }
    }

    /** The process, to stop it as a user would. */
    Process process() {
        return process;
    }

    /** Everything it has printed so far. */
    String output() {
        return Processes.read(log);
    }

    /** What it printed up to and including "Ready.". */
    String banner() {
        return banner;
    }

    int relayPort() {
        return relayPort;
    }

    int httpPort() {
        return httpPort;
    }

    /** The admin page, metrics and health: {@code http://127.0.0.1:PORT}. */
    URI adminBase() {
        return URI.create("http://127.0.0.1:" + adminPort);
    }

    /** The development access token, from the banner's curl line. */
    String developmentToken() {
        return curl().group(1);
    }

    /** The Matrix TURN endpoint, from the banner's curl line. */
    URI turnServerEndpoint() {
        return URI.create(curl().group(2));
    }

    private Matcher curl() {
        Matcher curl = CURL.matcher(banner);
        assertTrue(curl.find(), banner);
        return curl;
    }

    @Override
    public void close() {
        Processes.stop(process);
    }
}
