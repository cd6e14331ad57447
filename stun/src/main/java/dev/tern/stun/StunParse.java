package dev.tern.stun;

/**
 * The outcome of {@link StunMessage#parse}: a message, or why the bytes are not one.
 */
public sealed interface StunParse {

    /** The bytes are a well-formed STUN message. */
    record Parsed(StunMessage message) implements StunParse {
    }

    /**
     * The bytes are not a well-formed STUN message.
     *
     * @param reason what is wrong, for logs (never contains message bytes)
     */
    record Malformed(String reason) implements StunParse {
    }
}
