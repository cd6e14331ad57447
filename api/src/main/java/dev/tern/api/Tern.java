package dev.tern.api;

import dev.tern.spi.PolicyDecision;
import dev.tern.spi.PolicyEvaluator;
import dev.tern.spi.Subject;
import dev.tern.spi.CredentialIssuer;
import dev.tern.spi.Fleet;
import dev.tern.spi.RelayServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The plain-Java facade: composes a credential issuer, a policy evaluator and an optional relay, and
 * answers the questions a homeserver asks. Homeservers without Guice build one with {@link #builder()};
 * the Guice module builds the same object from config.
 *
 * <p>Thread-safe. Methods never block: they return stages that complete when policy sources have
 * answered (within their timeouts). {@link #close()} stops the relay, then closes the fleet, the issuer
 * and the policy, in that order.
 */
public final class Tern implements AutoCloseable {

    /** The well-known key of MSC4096. */
    public static final String FORCE_TURN_KEY = "im.vector.riot.forceTurn";

    private static final Duration NO_CAP = Duration.ofSeconds(Long.MAX_VALUE);

    private final Optional<CredentialIssuer> issuer;
    private final PolicyEvaluator policy;
    private final Optional<RelayServer> relay;
    private final Fleet fleet;

    private Tern(Builder builder) {
        this.issuer = Optional.ofNullable(builder.issuer);
        this.policy = builder.policy;
        this.relay = Optional.ofNullable(builder.relay);
        this.fleet = builder.fleet;
    }

    /** A builder with no issuer, the permissive policy and no relay. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * TURN credentials for this subject, or a refusal with a reason. Guests are checked against
     * {@code guests_allowed}, everyone against {@code turn_allowed}; the credential lifetime is capped
     * by {@code max_credential_lifetime}.
     */
    public CompletionStage<CredentialsOutcome> credentialsFor(Subject subject) {
        Objects.requireNonNull(subject, "subject");
        if (issuer.isEmpty()) {
            return CompletableFuture.completedFuture(new CredentialsOutcome.NotConfigured());
        }
        return policy.decide(subject).thenApply(decision -> {
            if (subject.guest() && !decision.guestsAllowed()) {
                return new CredentialsOutcome.Refused(CredentialsOutcome.Reason.GUESTS_NOT_ALLOWED,
                        "Guest access to TURN is not allowed on this server", decision);
            }
            if (!decision.turnAllowed()) {
                return new CredentialsOutcome.Refused(CredentialsOutcome.Reason.TURN_NOT_ALLOWED,
                        "TURN is not allowed for this user", decision);
            }
            Duration cap = decision.maxCredentialLifetime().orElse(NO_CAP);
            return new CredentialsOutcome.Issued(issuer.get().issue(subject, cap), decision);
        });
    }

    /** The policy decision for this subject, with the source and rule behind each field. */
    public CompletionStage<PolicyDecision> explain(Subject subject) {
        return policy.decide(Objects.requireNonNull(subject, "subject"));
    }

    /** Whether this server forces relaying for everyone (the server-wide policy). */
    public CompletionStage<Boolean> serverForcesRelay() {
        return policy.decideServerWide().thenApply(PolicyDecision::forceRelay);
    }

    /**
     * The keys to merge into {@code /.well-known/matrix/client}: {@code {"im.vector.riot.forceTurn": true}}
     * when the server-wide policy forces relay, an empty map otherwise.
     */
    public CompletionStage<Map<String, Object>> wellKnownFragment() {
        return serverForcesRelay().thenApply(force -> force ? Map.of(FORCE_TURN_KEY, true) : Map.of());
    }

    /** The credential issuer, if configured. */
    public Optional<CredentialIssuer> issuer() {
        return issuer;
    }

    /** The policy evaluator. */
    public PolicyEvaluator policy() {
        return policy;
    }

    /** The in-process relay, if configured. */
    public Optional<RelayServer> relay() {
        return relay;
    }

    /** The fleet this Tern belongs to; {@link Fleet#NONE} when it runs alone. */
    public Fleet fleet() {
        return fleet;
    }

    /**
     * Revokes a user on every relay of the fleet (#18), for a homeserver that deactivated the account or logged
     * it out everywhere: within 2 s every relay refuses the user's new Allocates and Refreshes and closes its live
     * allocations, and TURN credentials issued before now stop working (credentials issued later work).
     *
     * @param userId the Matrix user id, like {@code @alice:example.org}
     * @return completes when the fleet store recorded it; fails when it cannot be reached, or without a fleet
     */
    public CompletionStage<Void> revoke(String userId) {
        return fleet.revoke(Objects.requireNonNull(userId, "userId"));
    }

    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        relay.ifPresent(r -> run(r::close, failures));
        run(fleet::close, failures);
        issuer.ifPresent(i -> run(i::close, failures));
        run(policy::close, failures);
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.stream().skip(1).forEach(first::addSuppressed);
            throw first;
        }
    }

    private static void run(Runnable action, List<RuntimeException> failures) {
        try {
            action.run();
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }

    /** Builds a {@link Tern}; not thread-safe. */
    public static final class Builder {
        private CredentialIssuer issuer;
        private PolicyEvaluator policy = PolicyEvaluator.PERMISSIVE;
        private RelayServer relay;
        private Fleet fleet = Fleet.NONE;

        private Builder() {
        }

        /** The issuer of credentials; without one, {@link #credentialsFor} answers NotConfigured. */
        public Builder issuer(CredentialIssuer value) {
            this.issuer = Objects.requireNonNull(value, "issuer");
            return this;
        }

        /** The policy; without one, everyone may use TURN and relaying is not forced. */
        public Builder policy(PolicyEvaluator value) {
            this.policy = Objects.requireNonNull(value, "policy");
            return this;
        }

        /** The in-process relay, if any. The facade does not start it; it stops it on close. */
        public Builder relay(RelayServer value) {
            this.relay = Objects.requireNonNull(value, "relay");
            return this;
        }

        /** The fleet the relay belongs to (#18); the facade closes it after the relay. */
        public Builder fleet(Fleet value) {
            this.fleet = Objects.requireNonNull(value, "fleet");
            return this;
        }

        public Tern build() {
            return new Tern(this);
        }
    }
}
