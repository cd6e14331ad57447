package dev.tern.api;

import dev.tern.spi.PolicyDecision;
import dev.tern.spi.TurnCredentials;
import java.util.Objects;

/**
 * The answer to "TURN credentials for this user": {@link Issued}, {@link Refused} with a reason, or
 * {@link NotConfigured} when this server has no TURN.
 *
 * <p>Immutable and thread-safe, like each of its records.
 */
public sealed interface CredentialsOutcome {

    /**
     * Credentials were issued.
     *
     * @param credentials what the client gets
     * @param decision the policy that allowed it
     */
    record Issued(TurnCredentials credentials, PolicyDecision decision) implements CredentialsOutcome {
        public Issued {
            Objects.requireNonNull(credentials, "credentials");
            Objects.requireNonNull(decision, "decision");
        }
    }

    /**
     * Policy refused.
     *
     * @param reason why, as a fixed value a transport maps to an error code
     * @param message a human explanation, safe to show to the user
     * @param decision the policy that refused
     */
    record Refused(Reason reason, String message, PolicyDecision decision) implements CredentialsOutcome {
        public Refused {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(decision, "decision");
        }
    }

    /** No credential issuer is configured. */
    record NotConfigured() implements CredentialsOutcome {
    }

    /** Why credentials were refused. */
    enum Reason {
        /** The subject is a guest and guests may not use TURN (Matrix {@code M_GUEST_ACCESS_FORBIDDEN}). */
        GUESTS_NOT_ALLOWED,
        /** Policy denies TURN to this subject (Matrix {@code M_FORBIDDEN}). */
        TURN_NOT_ALLOWED
    }
}
