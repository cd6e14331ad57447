package dev.tern.relay.auth;

import dev.tern.stun.PasswordAlgorithm;
import dev.tern.stun.StunCredentials;
import dev.tern.relay.nonce.NonceService;
import dev.tern.spi.CredentialVerifier;
import dev.tern.spi.LongTermKey;
import dev.tern.spi.RelayListener.AuthFailure;
import dev.tern.spi.Verification;
import dev.tern.stun.MessageIntegrity;
import dev.tern.stun.StunAttribute;
import dev.tern.stun.StunMessage;
import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * Long-term credential checks of RFC 8489 section 9.2.4, with the relay's {@link CredentialVerifier}
 * for usernames and a stateless {@link NonceService}: missing credentials get 401 with a challenge,
 * stale or foreign nonces 438, a wrong realm, unknown or expired user, or bad integrity 401, missing
 * attributes 400.
 *
 * <p>Password algorithms: a request with neither PASSWORD-ALGORITHM nor PASSWORD-ALGORITHMS is checked
 * with the MD5 key and answered with MESSAGE-INTEGRITY, whichever integrity attribute it carried. A request
 * with one of them must have both, the list exactly as offered, and an algorithm from it (else 400); it is
 * checked with that algorithm's key and answered with MESSAGE-INTEGRITY-SHA256 under the same key. The
 * request's MESSAGE-INTEGRITY-SHA256 is checked when present, else its MESSAGE-INTEGRITY.
 *
 * <p>Online guessing: failed checks are counted by a {@link FailedCheckLimiter}; once a username or a
 * client address has used up its allowance, its requests get the same 401 challenge without being checked,
 * so further guesses learn nothing. Requests that authenticate are never counted.
 *
 * <p>It reads the request through {@link StunCredentials} and so sees no buffer (no Netty type).
 *
 * <p>Thread-safe if the verifier is (the limiter is). Never throws for bad input.
 */
public final class LongTermAuthenticator {

    private final String realm;
    private final CredentialVerifier verifier;
    private final NonceService nonces;
    private final FailedCheckLimiter limiter;

    public LongTermAuthenticator(String realm, CredentialVerifier verifier, NonceService nonces,
            FailedCheckLimiter limiter) {
        this.realm = realm;
        this.verifier = verifier;
        this.nonces = nonces;
        this.limiter = limiter;
    }

    /** The realm this authenticator accepts. */
    public String realm() {
        return realm;
    }

    /** A fresh nonce for this client, offering RFC 8489 password algorithms. */
    public String nonceFor(InetSocketAddress client) {
        return nonces.issue(client, true);
    }

    /** Whether a nonce carries the RFC 8489 security feature cookie, so PASSWORD-ALGORITHMS must follow. */
    public static boolean offersSecurityFeatures(String nonce) {
        return NonceService.offersSecurityFeatures(nonce);
    }

    /** Checks one request from {@code client}, by its credential attributes. */
    public AuthOutcome authenticate(StunCredentials request, InetSocketAddress client) {
        boolean sha256Mac = request.integrity().sha256();
        if (!sha256Mac && !request.integrity().sha1()) {
            return refused(401, "Unauthorized", true, AuthFailure.MISSING_CREDENTIALS);
        }
        Optional<String> username = request.identity().username();
        Optional<String> requestRealm = request.identity().realm();
        Optional<String> nonce = request.identity().nonce();
        if (requestRealm.isEmpty() || nonce.isEmpty()) {
            return refused(400, "Bad Request", false, AuthFailure.MISSING_CREDENTIALS);
        }
        if (username.isEmpty()) {
            // USERHASH needs a list of users to hash; TURN REST usernames cannot be listed, so it is not offered.
            return request.identity().userhash()
                    ? refused(401, "Unauthorized", true, AuthFailure.MISSING_CREDENTIALS)
                    : refused(400, "Bad Request", false, AuthFailure.MISSING_CREDENTIALS);
        }
        NonceService.Check check = nonces.check(nonce.get(), client);
        if (check != NonceService.Check.VALID) {
            return refused(438, "Stale Nonce", true, AuthFailure.STALE_NONCE);
        }
        if (!realm.equals(requestRealm.get())) {
            return refused(401, "Unauthorized", true, AuthFailure.BAD_INTEGRITY);
        }
        boolean negotiated = request.algorithms().negotiated();
        PasswordAlgorithm algorithm = PasswordAlgorithm.MD5;
        if (negotiated) {
            Optional<PasswordAlgorithm> chosen = request.algorithms().chosen();
            if (chosen.isEmpty() || !offersSecurityFeatures(nonce.get()) || !request.algorithms().offeredIntact()) {
                // One without the other, an algorithm we did not offer, no nonce cookie, or a changed
                // PASSWORD-ALGORITHMS: RFC 8489 9.2.4 wants 400, and it may be a downgrade attempt.
                return refused(400, "Bad Request", false, AuthFailure.BAD_INTEGRITY);
            }
            algorithm = chosen.get();
        }
        if (limiter.paused(username.get(), client.getAddress())) {
            // Answered like a wrong password, without checking: a guess made now learns nothing.
            return refused(401, "Unauthorized", true, AuthFailure.TOO_MANY_FAILURES);
        }
        Verification verification = verifier.verify(username.get(), realm);
        if (verification instanceof Verification.Accepted accepted) {
            for (LongTermKey candidate : accepted.keys()) {
                byte[] key = algorithm == PasswordAlgorithm.SHA256 ? candidate.sha256() : candidate.md5();
                if (request.integrity().check().matches(key, sha256Mac)) {
                    return new AuthOutcome.Authenticated(accepted, candidate, algorithm, negotiated);
                }
            }
            limiter.failed(username.get(), client.getAddress());
            return refused(401, "Unauthorized", true, AuthFailure.BAD_INTEGRITY);
        } else if (verification instanceof Verification.Expired) {
            return refused(401, "Unauthorized", true, AuthFailure.EXPIRED);
        } else if (verification instanceof Verification.Malformed) {
            return refused(401, "Unauthorized", true, AuthFailure.MALFORMED_USERNAME);
        }
        // An unknown user is a guess too (of a static username, with its password).
        limiter.failed(username.get(), client.getAddress());
        return refused(401, "Unauthorized", true, AuthFailure.UNKNOWN_USER);
    }

    private static AuthOutcome.Refused refused(int code, String reason, boolean challenge, AuthFailure failure) {
        return new AuthOutcome.Refused(code, reason, challenge, Optional.of(failure));
    }
}
