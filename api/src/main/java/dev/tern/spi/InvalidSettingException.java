package dev.tern.spi;

import java.util.Objects;

/**
 * A config value that is well-formed but not acceptable: thrown by config records' constructors and
 * by providers' {@code create} methods. The host adds the file and the path of the section, so
 * {@code key} is relative to the section ({@code secrets[0]}, {@code tls.cert_file}).
 *
 * <p>The message must say what was expected and must never contain a secret.
 */
public class InvalidSettingException extends IllegalArgumentException {

    private final String key;

    /**
     * @param key the snake_case key, relative to the provider's section
     * @param message what is wrong and what was expected
     */
    public InvalidSettingException(String key, String message) {
        super(key + ": " + message);
        this.key = Objects.requireNonNull(key, "key");
    }

    /** The key, relative to the provider's section. */
    public String key() {
        return key;
    }

    /** The message without the key in front. */
    public String problem() {
        return getMessage().substring(key.length() + 2);
    }
}
