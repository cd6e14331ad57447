package dev.tern.relay.auth;

import dev.tern.spi.LongTermKey;
import dev.tern.spi.RelayListener;
import dev.tern.spi.Verification;
import dev.tern.stun.PasswordAlgorithm;
import java.util.Optional;

/**
 * What {@link LongTermAuthenticator} concluded about one request.
 */
public sealed interface AuthOutcome {

    /**
     * The request is authentic. How its responses are signed follows RFC 8489 section 9.2.4: the key is the
     * one of the request's PASSWORD-ALGORITHM (MD5 when it had none), and the attribute is
     * MESSAGE-INTEGRITY-SHA256 when the request negotiated an algorithm (PASSWORD-ALGORITHM and
     * PASSWORD-ALGORITHMS), else MESSAGE-INTEGRITY, whichever integrity attribute the request itself carried.
     *
     * @param credentials the verified username, user and expiry
     * @param key the candidate key whose integrity matched
     * @param algorithm the password algorithm: whose key checked the request and signs the responses
     * @param sha256Integrity whether responses carry MESSAGE-INTEGRITY-SHA256 (else MESSAGE-INTEGRITY)
     */
    record Authenticated(Verification.Accepted credentials, LongTermKey key, PasswordAlgorithm algorithm,
            boolean sha256Integrity) implements AuthOutcome {

        /** The key bytes to sign the response with: the password algorithm's key. */
        public byte[] keyBytes() {
            return algorithm == PasswordAlgorithm.SHA256 ? key.sha256() : key.md5();
        }

        /** Whether the SHA-256 key is in use (an allocation's later requests must use the same). */
        public boolean sha256Key() {
            return algorithm == PasswordAlgorithm.SHA256;
        }
    }

    /**
     * The request is refused; the response is an error with this code.
     *
     * @param code 400, 401 or 438
     * @param reason the reason phrase
     * @param challenge whether to add REALM and a fresh NONCE (401 and 438)
     * @param failure what to report to listeners, if anything
     */
    record Refused(int code, String reason, boolean challenge, Optional<RelayListener.AuthFailure> failure)
            implements AuthOutcome {
    }
}
