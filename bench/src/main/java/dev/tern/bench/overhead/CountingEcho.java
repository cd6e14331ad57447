package dev.tern.bench.overhead;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The counting echo peer ({@code udp-echo.c}) in its own process: echoes every datagram on loopback and
 * counts the load client's window packets. Every measurement's allocations bind their channel to it.
 *
 * <p>Not thread-safe. {@link #close()} kills it.
 */
public final class CountingEcho implements AutoCloseable {

    private final Process process;
    private final BufferedReader output;
    private final InetSocketAddress address;

    private CountingEcho(Process process, BufferedReader output, int port) {
        this.process = process;
        this.output = output;
        this.address = new InetSocketAddress("127.0.0.1", port);
    }

    /**
     * Starts the compiled peer, optionally under {@code launcher} (e.g. {@code taskset -c 0}), and waits (at
     * most 10 s) for the port it bound.
     */
    public static CountingEcho start(Path program, List<String> launcher) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(launcher);
        command.add(program.toString());
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.US_ASCII));
        try {
            String line = CompletableFuture.supplyAsync(() -> readLine(out)).get(10, TimeUnit.SECONDS);
            if (line == null || !line.startsWith("port ")) {
                throw new IOException("the counting echo peer did not start: " + line);
            }
            return new CountingEcho(process, out, Integer.parseInt(line.substring(5).trim()));
        } catch (ExecutionException | TimeoutException | IOException | RuntimeException e) {
            process.destroyForcibly();
            throw new IOException("the counting echo peer did not say its port within 10 s", e);
        }
    }

    /** Its process id. */
    public long pid() {
        return process.pid();
    }

    /** Where it listens. */
    public InetSocketAddress address() {
        return address;
    }

    /** Window packets received since the last call (or the start), counting again from zero after. */
    public long takeCount() throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-USR1", Long.toString(process.pid())).start();
        if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("could not signal the counting echo peer (pid " + process.pid() + ")");
        }
        try {
            String line = CompletableFuture.supplyAsync(() -> readLine(output)).get(5, TimeUnit.SECONDS);
            if (line == null || !line.startsWith("count ")) {
                throw new IOException("the counting echo peer answered '" + line + "' instead of a count");
            }
            return Long.parseLong(line.substring(6).trim());
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("the counting echo peer did not give its count within 5 s", e);
        }
    }

    private static String readLine(BufferedReader in) {
        try {
            return in.readLine();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
