package dev.tern.matrix.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of an access token, used as the key wherever a token would otherwise be kept in memory (maps,
 * caches): a heap dump shows digests, not tokens, and a map lookup takes no time that depends on how
 * much of a guessed token is right.
 *
 * <p>Stateless and thread-safe.
 */
public final class TokenDigest {

    private TokenDigest() {
    }

    /** The hex SHA-256 of the token's UTF-8 bytes. */
    public static String of(String token) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
