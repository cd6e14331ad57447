package dev.tern.testing.coturn;

import dev.tern.testing.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * coturn's TURN client {@code turnutils_uclient}: run to completion (at most 60 s) and read its summary, or
 * started for a run the test ends itself. Stateless and thread-safe; each run logs to a new temp file in the
 * given directory.
 */
public final class Uclient {

    private static final Pattern LOST = Pattern.compile("Total lost packets (\\d+)");
    private static final Pattern RECEIVED = Pattern.compile("tot_recv_msgs=(\\d+)");
    private static final Pattern SENT = Pattern.compile("tot_send_msgs=(\\d+)");

    /**
     * What one run showed. Immutable.
     *
     * @param exitCode the process exit code
     * @param output everything it printed
     */
    public record Run(int exitCode, String output) {

        /** Packets reported lost (the last summary), if the run got as far as sending. */
        public OptionalLong lost() {
            return last(LOST);
        }

        /** Messages received (the last summary). */
        public OptionalLong received() {
            return last(RECEIVED);
        }

        /** Messages sent (the last summary). */
        public OptionalLong sent() {
            return last(SENT);
        }

        private OptionalLong last(Pattern pattern) {
            Matcher m = pattern.matcher(output);
            OptionalLong found = OptionalLong.empty();
            while (m.find()) {
                found = OptionalLong.of(Long.parseLong(m.group(1)));
            }
            return found;
        }
    }

    private Uclient() {
    }

    /**
     * Relays through the TURN server on loopback {@code serverPort}: {@code clients} clients each send
     * {@code messages} messages of 120 bytes, 5 ms apart, to the echo peer on {@code peerPort} over channels
     * (the client's default), without RTCP ({@code -c}), with these long-term credentials.
     */
    public static Run relay(Path dir, int serverPort, String username, String password, int peerPort, int clients,
            int messages) throws IOException {
        return relay(dir, List.of(), serverPort, username, password, peerPort, clients, messages);
    }

    /**
     * As {@link #relay}, but each client talks to the TURN server over TCP ({@code -t}); the relayed leg to the
     * peer is UDP all the same.
     */
    public static Run relayOverTcp(Path dir, int serverPort, String username, String password, int peerPort,
            int clients, int messages) throws IOException {
        return relay(dir, List.of("-t"), serverPort, username, password, peerPort, clients, messages);
    }

    /**
     * As {@link #relay}, but each client talks to the TURN server over TLS ({@code -S -t}, no certificate check);
     * the relayed leg to the peer is UDP all the same.
     */
    public static Run relayOverTls(Path dir, int serverPort, String username, String password, int peerPort,
            int clients, int messages) throws IOException {
        return relay(dir, List.of("-S", "-t"), serverPort, username, password, peerPort, clients, messages);
    }

    private static Run relay(Path dir, List<String> transport, int serverPort, String username, String password,
            int peerPort, int clients, int messages) throws IOException {
        List<String> arguments = new ArrayList<>(transport);
        arguments.addAll(List.of("-u", username, "-w", password, "-e", "127.0.0.1", "-r", Integer.toString(peerPort),
                "-p", Integer.toString(serverPort), "-n", Integer.toString(messages), "-m", Integer.toString(clients),
                "-l", "120", "-z", "5", "-c", "-X", "127.0.0.1"));
        return run(dir, arguments);
    }

    /**
     * Runs the client with these arguments (the server address last) and returns what it printed.
     *
     * @throws IOException when it does not finish within 60 s (it is stopped)
     * @throws IllegalStateException when coturn is not installed
     */
    public static Run run(Path dir, List<String> arguments) throws IOException {
        Path log = Files.createTempFile(dir, "uclient-", ".log");
        Process process = Processes.start(command(arguments), log);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new IOException("turnutils_uclient did not finish within 60 s:\n" + Processes.read(log));
            }
            return new Run(process.exitValue(), Processes.read(log));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while turnutils_uclient ran", e);
        } finally {
            Processes.stop(process);
        }
    }

    /** Starts the client without waiting for it, for runs a test ends itself with {@link Processes#stop}. */
    public static Process start(Path dir, List<String> arguments) throws IOException {
        return Processes.start(command(arguments), Files.createTempFile(dir, "uclient-", ".log"));
    }

    private static List<String> command(List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(CoturnTools.require("turnutils_uclient").toString());
        command.addAll(arguments);
        return command;
    }
}
