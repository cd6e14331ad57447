package dev.tern.spi;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Credentials a client uses on a TURN server, as {@code GET /voip/turnServer} returns them.
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows the password.
 *
 * @param username the TURN username, for the TURN REST API {@code <expiry>:<user id>}
 * @param password the TURN password
 * @param uris {@code turn:} and {@code turns:} URIs the credentials are good for
 * @param ttl how long the credentials stay valid from the moment they were issued
 */
public record TurnCredentials(String username, String password, List<String> uris, Duration ttl) {

    public TurnCredentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        uris = List.copyOf(uris);
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("ttl must not be negative");
        }
    }

    @Override
    public String toString() {
        return "TurnCredentials[username=" + username + ", password=****, uris=" + uris + ", ttl=" + ttl + "]";
    }
}
