package dev.tern.spi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A secret value from config: a shared TURN secret, a bind password, a token.
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows the value, so a secret that ends
 * up in a log line or an exception message shows as {@code ****}. {@link #equals(Object)} compares
 * in constant time.
 */
public final class Secret {

    /**
     * What a secret shows as: in {@link #toString()}, and in place of a secret written literally in the config
     * {@code check-config} prints. Config refuses it as a secret's value, so a printed config pasted back unchanged
     * is never served with a guessable secret.
     */
    public static final String MASK = "****";

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    /** Wraps a secret value. */
    public static Secret of(String value) {
        return new Secret(value);
    }

    /** The secret itself. Never log it. */
    public String reveal() {
        return value;
    }

    /** The secret as UTF-8 bytes (a fresh copy). */
    public byte[] bytes() {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /** The length of the secret in UTF-8 bytes. */
    public int byteLength() {
        return bytes().length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && MessageDigest.isEqual(bytes(), other.bytes());
    }

    @Override
    public int hashCode() {
        return 0; // secrets are not meant for hash keys; a constant keeps equals and hashCode consistent
    }

    @Override
    public String toString() {
        return MASK;
    }
}
