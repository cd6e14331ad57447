package dev.tern.credentials.fixed;

import dev.tern.spi.Secret;
import dev.tern.spi.InvalidSettingException;
import java.nio.charset.StandardCharsets;

/**
 * One fixed TURN user the verifier accepts, like a coturn {@code user=name:password} line. In config:
 * {@code {username: relay-bot, password: "${BOT_TURN_PASSWORD}"}} or with {@code password_file}.
 *
 * <p>Immutable and thread-safe; {@link #toString()} hides the password.
 *
 * @param username the TURN username, 1 to 513 bytes, no control characters
 * @param password the password
 */
public record StaticUser(String username, Secret password) {

    public StaticUser {
        requireUsername("username", username);
        if (password == null || password.reveal().isEmpty()) {
            throw new InvalidSettingException("password", "is missing; expected the user's TURN password");
        }
    }

    /** Checks a fixed TURN username; {@code key} names it in the error. */
    static void requireUsername(String key, String username) {
        if (username == null || username.isEmpty()) {
            throw new InvalidSettingException(key, "is missing; expected a TURN username");
        }
        if (username.getBytes(StandardCharsets.UTF_8).length > 513
                || username.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidSettingException(key, "must be at most 513 bytes with no control characters");
        }
    }

    @Override
    public String toString() {
        return "StaticUser[username=" + username + ", password=****]";
    }
}
