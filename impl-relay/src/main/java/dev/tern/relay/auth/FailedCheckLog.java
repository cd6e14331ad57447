package dev.tern.relay.auth;

import dev.tern.guard.ClientLogThrottle;
import java.net.InetAddress;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs failed credential checks without letting a guesser flood the log: at most one line per username
 * and one per client address each minute, saying how many failures it stands for. The lines go through the
 * relay's {@link ClientLogThrottle}, the one throttle for every log line a client can cause, so keys are
 * bounded the same way (past its key limit, failures are counted together under one line).
 *
 * <p>Usernames are not secret but are client input: they are logged cut to 64 characters with control
 * characters replaced; passwords and keys never reach it.
 *
 * <p>Thread-safe, as the throttle is.
 */
public final class FailedCheckLog {

    private static final Logger LOG = LoggerFactory.getLogger(FailedCheckLog.class);
    private static final int SHOWN_CHARS = 64;
    private static final String PER_USERNAME = "failed-check-username";
    private static final String PER_ADDRESS = "failed-check-address";

    private final ClientLogThrottle throttle;
    private final long intervalSeconds;
    private final Consumer<String> sink;

    /**
     * A log writing the lines that pass {@code throttle} (one of {@link ClientLogThrottle#perMinute}) to
     * {@code sink}.
     */
    public FailedCheckLog(ClientLogThrottle throttle, Consumer<String> sink) {
        this.throttle = throttle;
        this.intervalSeconds = ClientLogThrottle.DEFAULT_INTERVAL.toSeconds();
        this.sink = sink;
    }

    /** A log writing the lines that pass {@code throttle} as warnings of this class's SLF4J logger. */
    public static FailedCheckLog warnings(ClientLogThrottle throttle) {
        return new FailedCheckLog(throttle, LOG::warn);
    }

    /**
     * Reports one failed check.
     *
     * @param userPaused whether the username's allowance is now used up
     * @param addressPaused whether the address's allowance is now used up
     */
    void failed(String username, InetAddress client, boolean userPaused, boolean addressPaused) {
        String user = printable(username);
        String address = client.getHostAddress();
        throttle.admit(PER_USERNAME, user).ifPresent(line -> sink.accept(line.count()
                + " failed credential check(s) for " + shown("username '" + user + "'", line) + " within "
                + intervalSeconds + "s, the latest from " + address
                + (userPaused ? "; checks for this username are paused" : "")));
        throttle.admit(PER_ADDRESS, address).ifPresent(line -> sink.accept(line.count()
                + " failed credential check(s) from " + shown(address, line) + " within " + intervalSeconds
                + "s, the latest for username '" + user + "'"
                + (addressPaused ? "; checks from this address are paused" : "")));
    }

    /** What a line names: the key, or the throttle's name for the keys past its limit. */
    private static String shown(String key, ClientLogThrottle.Line line) {
        return ClientLogThrottle.OTHER_KEYS.equals(line.key()) ? line.key() : key;
    }

    /** The username as it may appear in a log line: at most 64 characters, no control characters. */
    static String printable(String username) {
        StringBuilder out = new StringBuilder(Math.min(username.length(), SHOWN_CHARS) + 1);
        for (int i = 0; i < username.length() && out.length() < SHOWN_CHARS; i++) {
            char c = username.charAt(i);
            int type = Character.getType(c);
            boolean unsafe = Character.isISOControl(c) || Character.isSurrogate(c)
                    || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
            out.append(unsafe ? '?' : c);
        }
        if (username.length() > SHOWN_CHARS) {
            out.append('…');
        }
        return out.toString();
    }
}
