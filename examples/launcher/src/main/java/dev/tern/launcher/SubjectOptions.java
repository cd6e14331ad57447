package dev.tern.launcher;

import dev.tern.spi.Subject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The user a one-shot question is about: {@code @alice:example.org [--guest] [--ip A]}. Filled by picocli. */
final class SubjectOptions {

    @Parameters(index = "0", paramLabel = "USER", description = "The Matrix user id, like @alice:example.org.")
    String userId;

    @Option(names = "--guest", description = "The user is a guest account.")
    boolean guest;

    @Option(names = "--ip", paramLabel = "ADDRESS", description = "The client's IP address as the homeserver saw it.")
    String ip;

    /**
     * The subject.
     *
     * @throws LauncherException for a malformed user id or address
     */
    Subject subject() {
        Subject subject;
        try {
            subject = Subject.user(userId).withGuest(guest);
        } catch (IllegalArgumentException e) {
            throw new LauncherException("'" + userId + "' is " + e.getMessage());
        }
        if (ip != null) {
            if (!ip.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
                throw new LauncherException("--ip: '" + ip + "' is not an IP address");
            }
            try {
                subject = subject.withRemoteAddress(InetAddress.getByName(ip));
            } catch (UnknownHostException e) {
                throw new LauncherException("--ip: '" + ip + "' is not an IP address");
            }
        }
        return subject;
    }
}
