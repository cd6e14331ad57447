package dev.tern.bench.overhead;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the compiled load client ({@code turn-load.c}) once: it sends from the given local ports (a TURN
 * client's 5-tuples, whose allocations the server keys by 5-tuple, not by socket) at a total rate, for a lead-in
 * and a measured window, and reports a {@link ClientRun}.
 *
 * <p>Immutable; each {@link #run} starts its own process.
 *
 * @param program the compiled {@code turn-load}
 * @param launcher words before the command, e.g. {@code taskset -c 0}; empty for none
 * @param ownPids the measurement's other processes (relays, echo peer, bench), whose CPU is not "other" work
 */
public record LoadClient(Path program, List<String> launcher, List<Long> ownPids) {

    public LoadClient {
        launcher = List.copyOf(launcher);
        ownPids = List.copyOf(ownPids);
    }

    /** ChannelData from {@code localPort} to {@code destinationPort} on {@code channel}, or bare payloads when 0. */
    public record Tuple(int localPort, int destinationPort, int channel) {
    }

    /**
     * Sends {@code size}-byte payloads at {@code rate} packets per second in total, round robin over
     * {@code tuples}, for {@code leadIn} unmeasured and then {@code window} measured.
     *
     * @throws IOException with the client's own message when it fails
     */
    public ClientRun run(List<Tuple> tuples, int rate, Duration leadIn, Duration window, int size)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(program.toString(), Integer.toString(rate), Long.toString(leadIn.toMillis()),
                Long.toString(window.toMillis()), Integer.toString(size)));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("TURN_LOAD_OWN_PIDS", ownPids.stream().map(String::valueOf)
                .collect(java.util.stream.Collectors.joining(",")));
        Process process = builder.start();
        CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        StringBuilder input = new StringBuilder();
        for (Tuple t : tuples) {
            input.append(t.localPort()).append(' ').append(t.destinationPort()).append(' ').append(t.channel())
                    .append('\n');
        }
        try (OutputStream in = process.getOutputStream()) {
            in.write(input.toString().getBytes(StandardCharsets.US_ASCII));
        }
        long limit = leadIn.plus(window).toSeconds() + 30;
        if (!process.waitFor(limit, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("the load client did not finish within " + limit + " s");
        }
        String text = output.join();
        if (process.exitValue() != 0) {
            throw new IOException("the load client failed (exit " + process.exitValue() + "): " + errors.join()
                    + text);
        }
        return ClientRun.parse(text.lines().toList());
    }

    private static String readAll(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
