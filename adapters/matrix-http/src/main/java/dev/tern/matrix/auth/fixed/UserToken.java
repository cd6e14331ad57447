package dev.tern.matrix.auth.fixed;

import dev.tern.spi.Secret;
import dev.tern.spi.InvalidSettingException;

/**
 * One entry of {@code matrix.access_tokens.users} of the {@code static} verifier: an access token and the user it
 * belongs to. The token is a value, so {@code check-config} can mask it and still print valid YAML that loads again.
 *
 * <p>Immutable and thread-safe. A missing user or token throws {@link InvalidSettingException} naming the key;
 * {@link #toString()} never shows the token.
 *
 * @param user the Matrix user id, {@code @localpart:server}
 * @param token the access token (write {@code ${ENV}} to keep it out of the file)
 */
public record UserToken(String user, Secret token) {

    public UserToken {
        if (user == null) {
            throw new InvalidSettingException("user", "is missing (expected a Matrix user id like @alice:example.org)");
        }
        if (token == null || token.reveal().isEmpty()) {
            throw new InvalidSettingException("token", "is missing (expected the access token of " + user + ")");
        }
    }
}
