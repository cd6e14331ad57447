package dev.tern.relay.auth;

import dev.tern.spi.LongTermKey;
import dev.tern.spi.RelayListener;
import dev.tern.spi.Verification;
import java.util.Optional;

/**
 * What {@link LongTermAuthenticator} concluded about one request.
 */
public sealed interface AuthOutcome {

    /**
     * The request is authentic.
     *
     * @param credentials the verified username, user and expiry
     * @param key the candidate key whose integrity matched
     * @param sha256 whether the SHA-256 key and MESSAGE-INTEGRITY-SHA256 are in use (else MD5 and SHA-1)
     */
    record Authenticated(Verification.Accepted credentials, LongTermKey key, boolean sha256) implements AuthOutcome {

        /** The key bytes to sign the response with. */
        public byte[] keyBytes() {
            return sha256 ? key.sha256() : key.md5();
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
