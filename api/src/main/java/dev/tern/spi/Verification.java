package dev.tern.spi;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of {@link CredentialVerifier#verify}: {@link Accepted} with the keys, or why not.
 */
public sealed interface Verification {

    /**
     * The username is known and current.
     *
     * @param username the username as sent
     * @param userId the user the credentials belong to (the user part of a TURN REST username, or the
     *     static user name), used for per-user quotas and policy
     * @param expiresAt when the credentials expire, if they do
     * @param md5Key the RFC 5389 long-term key, MD5(username:realm:password), 16 bytes
     * @param sha256Key the RFC 8489 SHA-256 key, SHA-256(username:realm:password), 32 bytes
     */
    record Accepted(String username, String userId, Optional<Instant> expiresAt, byte[] md5Key, byte[] sha256Key)
            implements Verification {
        public Accepted {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(userId, "userId");
            Objects.requireNonNull(expiresAt, "expiresAt");
            md5Key = md5Key.clone();
            sha256Key = sha256Key.clone();
        }

        @Override
        public byte[] md5Key() {
            return md5Key.clone();
        }

        @Override
        public byte[] sha256Key() {
            return sha256Key.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Accepted a && username.equals(a.username) && userId.equals(a.userId)
                    && expiresAt.equals(a.expiresAt) && Arrays.equals(md5Key, a.md5Key)
                    && Arrays.equals(sha256Key, a.sha256Key);
        }

        @Override
        public int hashCode() {
            return Objects.hash(username, userId, expiresAt);
        }

        @Override
        public String toString() {
            return "Accepted[username=" + username + ", userId=" + userId + ", expiresAt=" + expiresAt + "]";
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
