package dev.tern.stun;

import io.netty.buffer.ByteBuf;
import java.util.Optional;

/**
 * The credential attributes of a request as the long-term authenticator checks them (RFC 8489 section 9.2.4), read
 * from the message by {@link #of}, with the integrity check over the message's bytes as a function: the
 * authenticator never sees a buffer.
 *
 * <p>Immutable; {@link Integrity#check} is valid only while the message's buffer is (the request is checked as it
 * arrives).
 *
 * @param identity who the request says it is, and the nonce it answers
 * @param integrity which integrity attributes it carries, and the check of them under a key
 * @param algorithms its password algorithm negotiation (RFC 8489 section 9.2.4)
 */
public record StunCredentials(Identity identity, Integrity integrity, AlgorithmNegotiation algorithms) {

    /**
     * USERNAME, REALM, NONCE and USERHASH.
     *
     * @param username USERNAME, if present
     * @param realm REALM, if present
     * @param nonce NONCE, if present
     * @param userhash whether USERHASH is present
     */
    public record Identity(Optional<String> username, Optional<String> realm, Optional<String> nonce,
            boolean userhash) {
    }

    /**
     * MESSAGE-INTEGRITY and MESSAGE-INTEGRITY-SHA256.
     *
     * @param sha1 whether MESSAGE-INTEGRITY is present
     * @param sha256 whether MESSAGE-INTEGRITY-SHA256 is present
     * @param check the request's integrity under a candidate key
     */
    public record Integrity(boolean sha1, boolean sha256, IntegrityCheck check) {
    }

    /**
     * PASSWORD-ALGORITHM and PASSWORD-ALGORITHMS.
     *
     * @param negotiated whether PASSWORD-ALGORITHM or PASSWORD-ALGORITHMS is present
     * @param chosen PASSWORD-ALGORITHM's algorithm, if present and one this relay implements
     * @param offeredIntact whether PASSWORD-ALGORITHMS is exactly what the relay offers (MD5, SHA-256)
     */
    public record AlgorithmNegotiation(boolean negotiated, Optional<PasswordAlgorithm> chosen,
            boolean offeredIntact) {
    }

    /** Checks a request's integrity attribute against a key; valid only while the request's bytes are. */
    @FunctionalInterface
    public interface IntegrityCheck {

        /**
         * Whether the request's MESSAGE-INTEGRITY-SHA256 ({@code sha256} true) or MESSAGE-INTEGRITY matches
         * {@code key}.
         */
        boolean matches(byte[] key, boolean sha256);
    }

    /** The credential attributes of {@code request}. Never throws for bad input. */
    public static StunCredentials of(StunMessage request) {
        return new StunCredentials(
                new Identity(request.string(StunAttribute.USERNAME), request.string(StunAttribute.REALM),
                        request.string(StunAttribute.NONCE), request.has(StunAttribute.USERHASH)),
                new Integrity(request.has(StunAttribute.MESSAGE_INTEGRITY),
                        request.has(StunAttribute.MESSAGE_INTEGRITY_SHA256),
                        (key, sha256) -> sha256 ? MessageIntegrity.verifySha256(request, key)
                                : MessageIntegrity.verifySha1(request, key)),
                new AlgorithmNegotiation(
                        request.has(StunAttribute.PASSWORD_ALGORITHM) || request.has(StunAttribute.PASSWORD_ALGORITHMS),
                        chosenAlgorithm(request), offeredAlgorithmsIntact(request)));
    }

    /** The request's PASSWORD-ALGORITHM, if it has one this relay implements. */
    private static Optional<PasswordAlgorithm> chosenAlgorithm(StunMessage request) {
        Optional<ByteBuf> value = request.attribute(StunAttribute.PASSWORD_ALGORITHM);
        if (value.isEmpty() || value.get().readableBytes() < 4) {
            return Optional.empty();
        }
        return PasswordAlgorithm.of(value.get().getUnsignedShort(value.get().readerIndex()));
    }

    /** Whether PASSWORD-ALGORITHMS is exactly what {@code StunMessageWriter#passwordAlgorithms} offers. */
    private static boolean offeredAlgorithmsIntact(StunMessage request) {
        Optional<ByteBuf> offered = request.attribute(StunAttribute.PASSWORD_ALGORITHMS);
        if (offered.isEmpty()) {
            return false;
        }
        ByteBuf v = offered.get();
        int i = v.readerIndex();
        return v.readableBytes() == 8 && v.getUnsignedShort(i) == StunAttribute.ALGORITHM_MD5
                && v.getUnsignedShort(i + 2) == 0 && v.getUnsignedShort(i + 4) == StunAttribute.ALGORITHM_SHA256
                && v.getUnsignedShort(i + 6) == 0;
    }

    @Override
    public String toString() {
        return "StunCredentials[username=" + identity.username() + ", realm=" + identity.realm() + "]";
    }
}
