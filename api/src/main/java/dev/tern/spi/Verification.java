package dev.tern.spi;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of {@link CredentialVerifier#verify}: {@link Accepted} with the keys, or why not.
 *
 * <p>Immutable and thread-safe, like each of its records.
 */
public sealed interface Verification {

    /**
     * The username is known and current.
     *
     * <p>With several secrets (rotation), the relay cannot know which one the client's password came
     * from until it checks MESSAGE-INTEGRITY, so {@code keys} lists a candidate for each secret, the
     * current one first: the request is authentic if its integrity matches any of them, and the relay
     * then keeps using that key for the allocation.
     *
     * @param username the username as sent
     * @param userId the user the credentials belong to (the user part of a TURN REST username, or the
     *     static user name), used for per-user quotas and policy
     * @param expiresAt when the credentials expire, if they do
     * @param keys candidate long-term keys, at least one, the most likely first
     * @param guest whether the credentials were issued to a Matrix guest; only an issuer in the same
     *     process can know (a TURN REST username does not say), so {@code false} means "not known to be a
     *     guest", and the relay applies the policy's {@code guests_allowed} only when this is {@code true}
     */
    record Accepted(String username, String userId, Optional<Instant> expiresAt, List<LongTermKey> keys,
            boolean guest) implements Verification {
        public Accepted {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(userId, "userId");
            Objects.requireNonNull(expiresAt, "expiresAt");
            keys = List.copyOf(keys);
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("an accepted username needs at least one key");
            }
        }

        @Override
        public String toString() {
            return "Accepted[username=" + username + ", userId=" + userId + ", expiresAt=" + expiresAt + ", keys="
                    + keys.size() + ", guest=" + guest + "]";
        }
    }

    /**
     * The credentials were valid once but have expired (beyond any allowed clock skew).
     *
     * @param expiredAt when they expired
     */
    record Expired(Instant expiredAt) implements Verification {
    }

    /** No such user, or no secret produces a matching password. */
    record Unknown() implements Verification {
    }

    /**
     * The username is not in any form this verifier accepts.
     *
     * @param reason what is wrong with it, safe to log (it never repeats a secret)
     */
    record Malformed(String reason) implements Verification {
    }
}
