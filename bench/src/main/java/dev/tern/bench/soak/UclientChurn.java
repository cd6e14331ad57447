package dev.tern.bench.soak;

import dev.tern.testing.coturn.Uclient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * coturn's {@code turnutils_uclient} per cycle, over UDP, TCP ({@code -t}) or TLS ({@code -t -S}) in turn:
 * two clients, 50 messages of 120 bytes each, 5 ms apart, relayed over channels to the soak's echo peer, then
 * deleted. A cycle fails when the client exits non-zero or reports a lost packet (the rate is far below the
 * bandwidth quota).
 */
final class UclientChurn implements Activity {

    private final SoakLauncher launcher;
    private final List<TurnCredentials> credentials;
    private final int peerPort;
    private final Path dir;
    private int turn;

    UclientChurn(SoakLauncher launcher, List<TurnCredentials> credentials, int peerPort, Path dir) {
        this.launcher = launcher;
        this.credentials = List.copyOf(credentials);
        this.peerPort = peerPort;
        this.dir = dir;
    }

    @Override
    public String name() {
        return "uclient";
    }

    @Override
    public void cycle() throws IOException {
        TurnTransport transport = TurnTransport.values()[turn++ % TurnTransport.values().length];
        TurnCredentials user = credentials.get(ThreadLocalRandom.current().nextInt(credentials.size()));
        List<String> arguments = new ArrayList<>(switch (transport) {
            case UDP -> List.<String>of();
            case TCP -> List.of("-t");
            case TLS -> List.of("-t", "-S");
        });
        int port = transport == TurnTransport.TLS ? launcher.turns().getPort() : launcher.turn().getPort();
        arguments.addAll(List.of("-u", user.username(), "-w", user.password(), "-e", "127.0.0.1", "-r",
                Integer.toString(peerPort), "-p", Integer.toString(port), "-n", "50", "-m", "2", "-l", "120",
                "-z", "5", "-c", "-X", "127.0.0.1"));
        Path runDir = Files.createTempDirectory(dir, "uclient-");
        try {
            Uclient.Run run = Uclient.run(runDir, arguments);
            if (run.exitCode() != 0 || run.lost().orElse(-1) != 0) {
                throw new IOException("turnutils_uclient over " + transport.label() + " exited " + run.exitCode()
                        + ", lost " + (run.lost().isPresent() ? run.lost().getAsLong() : "?") + ": "
                        + tail(run.output()));
            }
        } finally {
            try (Stream<Path> files = Files.walk(runDir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static String tail(String output) {
        return output.length() <= 300 ? output : output.substring(output.length() - 300);
    }
}
