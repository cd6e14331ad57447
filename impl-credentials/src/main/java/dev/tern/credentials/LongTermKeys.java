package dev.tern.credentials;

import dev.tern.spi.LongTermKey;
import dev.tern.spi.Verification;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Derives the STUN long-term credential keys (RFC 8489 section 9.2.2) from a username, realm and
 * password: MD5 and SHA-256 of {@code username ":" realm ":" password} in UTF-8.
 *
 * <p>Stateless and thread-safe. The strings are used as given: OpaqueString (SASLprep) processing is
 * left out, as coturn leaves it out, so non-ASCII passwords derive the same key in Tern and in coturn.
 */
public final class LongTermKeys {

    private LongTermKeys() {
    }

    /** The key pair for these credentials. */
    public static LongTermKey derive(String username, String realm, String password) {
        byte[] input = (username + ":" + realm + ":" + password).getBytes(StandardCharsets.UTF_8);
        return new LongTermKey(digest("MD5", input), digest("SHA-256", input));
    }

    /**
     * Which of the candidate keys of an accepted username this password gives, compared in constant time:
     * for hosts that receive a password in clear (an HTTP check, a test) rather than a STUN
     * MESSAGE-INTEGRITY.
     */
    public static Optional<LongTermKey> matching(Verification.Accepted accepted, String realm, String password) {
        byte[] offered = derive(accepted.username(), realm, password).md5();
        LongTermKey found = null;
        for (LongTermKey candidate : accepted.keys()) {
            // Every candidate is compared, so the time taken does not say which secret matched.
            if (MessageDigest.isEqual(offered, candidate.md5()) && found == null) {
                found = candidate;
            }
        }
        return Optional.ofNullable(found);
    }

    private static byte[] digest(String algorithm, byte[] input) {
        try {
            return MessageDigest.getInstance(algorithm).digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required of every Java platform", e);
        }
    }
}
