package dev.tern.credentials.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs coturn's {@code turnutils_uclient} to completion (at most 60 s) and reads its summary. */
public final class Uclient {

    private static final Pattern LOST = Pattern.compile("Total lost packets (\\d+)");
    private static final Pattern RECEIVED = Pattern.compile("tot_recv_msgs=(\\d+)");
    private static final Pattern SENT = Pattern.compile("tot_send_msgs=(\\d+)");

    /**
     * What one run showed.
     *
     * @param exitCode the process exit code
     * @param output everything it printed
     */
    public record Run(int exitCode, String output) {

        /** Packets reported lost, if the run got as far as sending. */
        public OptionalLong lost() {
            return last(LOST);
        }

        public OptionalLong received() {
            return last(RECEIVED);
        }

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

    /** Runs the client with these arguments (the server address last) and returns what it printed. */
    public static Run run(Path dir, List<String> arguments) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(CoturnTools.require("turnutils_uclient").toString());
        command.addAll(arguments);
        Path log = Files.createTempFile(dir, "uclient-", ".log");
        Process process = CoturnTools.start(command, log);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                fail("turnutils_uclient did not finish within 60 s:\n" + Files.readString(log, StandardCharsets.ISO_8859_1));
            }
            return new Run(process.exitValue(), Files.readString(log, StandardCharsets.ISO_8859_1));
        } finally {
            CoturnTools.stop(process);
        }
    }

    /** Starts the client without waiting for it, for runs a test ends itself. */
    public static Process start(Path dir, List<String> arguments) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(CoturnTools.require("turnutils_uclient").toString());
        command.addAll(arguments);
        return CoturnTools.start(command, Files.createTempFile(dir, "uclient-", ".log"));
    }
}
