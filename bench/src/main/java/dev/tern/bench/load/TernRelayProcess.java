package dev.tern.bench.load;

import dev.tern.testing.PortRange;
import dev.tern.testing.Processes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Tern's relay in a JVM of its own ({@code dev.tern.bench.TernRelayMain} on this process's class
 * path), so its CPU can be measured apart from the load generator's. Waits (at most 30 s) for its
 * {@code READY} line, and says what it logged when it exits before; {@link #close()} closes its standard input, then
 * destroys it.
 */
public final class TernRelayProcess implements RelayUnderTest {

    private final Process process;
    private final InetSocketAddress address;
    private final BufferedReader output;
    private final Path log;

    private TernRelayProcess(Process process, InetSocketAddress address, BufferedReader output, Path log) {
        this.process = process;
        this.address = address;
        this.output = output;
        this.log = log;
    }

    /**
     * Starts the relay on a free loopback port with this TURN REST secret and event-loop count, forwarding in user
     * space.
     *
     * @param jvmOptions options for its JVM ({@code -Xmx256m})
     * @param launcher words put before the command, e.g. {@code [taskset, -c, 1]} to pin it
     * @param relayPorts the ports it relays on
     */
    public static TernRelayProcess start(String secret, int threads, List<String> jvmOptions, List<String> launcher,
            PortRange relayPorts) throws IOException, InterruptedException {
        return start(secret, threads, jvmOptions, launcher, relayPorts, "user");
    }

    /**
     * Starts the relay as {@link #start(String, int, List, List, PortRange)} does, forwarding on {@code dataPlane}
     * ({@code user}, {@code kernel} or {@code auto}, the relay's {@code data_plane}).
     */
    public static TernRelayProcess start(String secret, int threads, List<String> jvmOptions, List<String> launcher,
            PortRange relayPorts, String dataPlane) throws IOException, InterruptedException {
        return start(secret, threads, jvmOptions, launcher, relayPorts, dataPlane,
                System.getProperty("java.class.path"));
    }

    /**
     * Starts the relay as {@link #start(String, int, List, List, PortRange, String)} does, from {@code classPath}
     * instead of this process's (another build's {@code tern-bench.jar}, to compare two builds in one run).
     */
    public static TernRelayProcess start(String secret, int threads, List<String> jvmOptions, List<String> launcher,
            PortRange relayPorts, String dataPlane, String classPath) throws IOException, InterruptedException {
        int port = dev.tern.testing.FreePorts.udpAndTcp();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(launcher);
        command.add(java);
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath, "dev.tern.bench.TernRelayMain",
                "--port", Integer.toString(port), "--secret", secret, "--threads", Integer.toString(threads),
                "--ports", relayPorts.toString()));
        command.addAll(List.of("--data-plane", dataPlane));
        // Its log goes to a file read back only when it fails to start: a pipe nobody reads would fill and stall it.
        Path log = Files.createTempFile("tern-bench-relay", ".log");
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.startsWith("READY ")) {
                        return line;
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        });
        try {
            String line = ready.get(30, TimeUnit.SECONDS);
            if (line == null) {
                throw new IOException("Tern's relay exited before it was ready (exit " + process.waitFor() + "): "
                        + tail(log));
            }
            return new TernRelayProcess(process, new InetSocketAddress("127.0.0.1", port), out, log);
        } catch (ExecutionException | TimeoutException | IOException e) {
            Processes.stop(process);
            Files.deleteIfExists(log);
            throw new IOException("Tern's relay did not start within 30 s", e);
        }
    }

    /** The end of the relay's log, for an error message. */
    private static String tail(Path log) {
        String text = Processes.read(log);
        return text.length() <= 2000 ? text : "..." + text.substring(text.length() - 2000);
    }

    @Override
    public String name() {
        return "tern";
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    /** Asks the relay's JVM (a {@code heap} line on its standard input) for its heap in use after a full GC. */
    @Override
    public OptionalLong heapUsedAfterGc() throws IOException {
        process.getOutputStream().write("heap\n".getBytes(StandardCharsets.US_ASCII));
        process.getOutputStream().flush();
        for (String line = output.readLine(); line != null; line = output.readLine()) {
            if (line.startsWith("HEAP ")) {
                return OptionalLong.of(Long.parseLong(line.substring(5).trim()));
            }
        }
        throw new IOException("Tern's relay exited while measuring its heap");
    }

    @Override
    public void close() throws IOException {
        try {
            // End of input is the relay's own way to stop; the test kit's stop is for one that does not.
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                Processes.stop(process);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Processes.stop(process);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
