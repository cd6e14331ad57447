package dev.tern.stun;

import java.util.Optional;

/**
 * The long-term credential password algorithms of RFC 8489 section 18.5: which hash of
 * {@code username ":" realm ":" password} is the key. The value travels in PASSWORD-ALGORITHM and
 * PASSWORD-ALGORITHMS; a request with neither is processed as MD5 (RFC 8489 section 9.2.4).
 *
 * <p>Immutable.
 */
public enum PasswordAlgorithm {

    /** MD5, the RFC 5389 key (16 bytes); the only one coturn knows. */
    MD5(StunAttribute.ALGORITHM_MD5, "MD5"),

    /** SHA-256 (32 bytes). */
    SHA256(StunAttribute.ALGORITHM_SHA256, "SHA-256");

    private final int code;
    private final String digest;

    PasswordAlgorithm(int code, String digest) {
        this.code = code;
        this.digest = digest;
    }

    /** The value in PASSWORD-ALGORITHM and PASSWORD-ALGORITHMS. */
    public int code() {
        return code;
    }

    /** The JDK {@link java.security.MessageDigest} name of the hash. */
    public String digest() {
        return digest;
    }

    /** The algorithm with this code; empty for a code this relay does not implement. */
    public static Optional<PasswordAlgorithm> of(int code) {
        for (PasswordAlgorithm a : values()) {
            if (a.code == code) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
