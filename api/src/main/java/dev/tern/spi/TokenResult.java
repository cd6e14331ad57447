package dev.tern.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * What an {@link AccessTokenVerifier} learned about an access token: {@link Valid} with the user,
 * {@link Unknown} (the homeserver does not know it), or {@link Unavailable} (it could not be checked).
 *
 * <p>Immutable and thread-safe, like each of its records.
 */
public sealed interface TokenResult {

    /**
     * The token belongs to a user.
     *
     * @param userId the Matrix user id, like {@code @alice:example.org}
     * @param guest whether the user is a guest
     * @param deviceId the device the token was issued to, when known
     */
    record Valid(String userId, boolean guest, Optional<String> deviceId) implements TokenResult {
        public Valid {
            Objects.requireNonNull(userId, "userId");
            Objects.requireNonNull(deviceId, "deviceId");
        }

        /** A non-guest user with no device known. */
        public static Valid user(String userId) {
            return new Valid(userId, false, Optional.empty());
        }
    }

    /** The token is not known (Matrix {@code M_UNKNOWN_TOKEN}). */
    record Unknown() implements TokenResult {
    }

    /**
     * The token could not be checked: the homeserver did not answer, or answered something unexpected.
     *
     * @param reason what went wrong, safe to log (it never contains the token)
     */
    record Unavailable(String reason) implements TokenResult {
        public Unavailable {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
