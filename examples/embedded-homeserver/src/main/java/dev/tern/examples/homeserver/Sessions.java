package dev.tern.examples.homeserver;

import dev.tern.spi.TokenResult;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The homeserver's own sessions: access token to user. A real homeserver keeps these in its database;
 * what matters here is that Tern never sees this class, only the lookup function passed to it.
 *
 * <p>Thread-safe.
 */
public final class Sessions {

    private final Map<String, TokenResult.Valid> byToken = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    /** Logs a user in: a new access token for them. */
    public String login(String userId, boolean guest) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String token = "syt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        byToken.put(token, new TokenResult.Valid(userId, guest, Optional.of("DEVICE" + byToken.size())));
        return token;
    }

    /** Logs a session out. */
    public void logout(String token) {
        byToken.remove(token);
    }

    /** Who a token belongs to: the function the homeserver hands to Tern. Non-blocking. */
    public Optional<TokenResult.Valid> lookup(String token) {
        return Optional.ofNullable(byToken.get(token));
    }
}
