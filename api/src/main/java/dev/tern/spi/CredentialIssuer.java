package dev.tern.spi;

import java.time.Duration;
import java.util.Optional;

/**
 * Issues TURN credentials for a user: what answers {@code GET /voip/turnServer} once policy has
 * allowed it.
 *
 * <p>Implementations must be thread-safe and must not block for long (no network I/O on the
 * caller's thread). They never log or put in an exception a secret or a password.
 */
public interface CredentialIssuer extends AutoCloseable {

    /**
     * Credentials for the subject.
     *
     * @param subject who the credentials are for; policy has already allowed it
     * @param lifetimeCap the longest lifetime policy allows; the issuer uses the smaller of this and
     *     its configured lifetime
     */
    TurnCredentials issue(Subject subject, Duration lifetimeCap);

    /**
     * The relay-side check that accepts what this issuer issues, if the issuer has one (the TURN REST
     * API and static users do; an issuer for a foreign TURN service may not).
     */
    default Optional<CredentialVerifier> verifier() {
        return Optional.empty();
    }

    /** Releases file watchers, threads and caches. Idempotent. */
    @Override
    default void close() {
    }
}
