package dev.tern.spi;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * The Matrix user a question is about: who asks for TURN credentials, or whose relay allocation is
 * being checked.
 *
 * <p>Immutable and thread-safe. The user id is required and must look like a Matrix user id
 * ({@code @localpart:server}); anything else is refused with {@link IllegalArgumentException}
 * naming the problem.
 *
 * @param userId the fully qualified Matrix user id, for example {@code @alice:example.org}
 * @param guest whether the user is a guest account
 * @param deviceId the device id, when the homeserver knows it
 * @param remoteAddress the client's address as the homeserver or relay saw it, when known
 */
public record Subject(String userId, boolean guest, Optional<String> deviceId, Optional<InetAddress> remoteAddress) {

    public Subject {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        if (userId.length() < 4 || userId.charAt(0) != '@' || userId.indexOf(':') < 2
                || userId.indexOf(':') == userId.length() - 1) {
            throw new IllegalArgumentException("not a Matrix user id (expected @localpart:server)");
        }
    }

    /** A non-guest user with no device or address known. */
    public static Subject user(String userId) {
        return new Subject(userId, false, Optional.empty(), Optional.empty());
    }

    /** A guest user with no device or address known. */
    public static Subject guest(String userId) {
        return new Subject(userId, true, Optional.empty(), Optional.empty());
    }

    /** This subject with the guest flag set as given. */
    public Subject withGuest(boolean isGuest) {
        return new Subject(userId, isGuest, deviceId, remoteAddress);
    }

    /** This subject with the device id given. */
    public Subject withDeviceId(String device) {
        return new Subject(userId, guest, Optional.of(device), remoteAddress);
    }

    /** This subject with the remote address given. */
    public Subject withRemoteAddress(InetAddress address) {
        return new Subject(userId, guest, deviceId, Optional.of(address));
    }

    /** The localpart: {@code alice} for {@code @alice:example.org}. */
    public String localpart() {
        return userId.substring(1, userId.indexOf(':'));
    }

    /** The server name: {@code example.org} for {@code @alice:example.org}. */
    public String serverName() {
        return userId.substring(userId.indexOf(':') + 1);
    }
}
