package dev.tern.matrix.http;

import dev.tern.spi.PolicyDecision;
import dev.tern.spi.PolicyEvaluator;
import dev.tern.spi.PolicyField;
import dev.tern.spi.Provenance;
import dev.tern.spi.Secret;
import dev.tern.spi.Subject;
import dev.tern.api.Tern;
import dev.tern.spi.TurnPolicy;
import dev.tern.credentials.rest.RestCredentialsConfig;
import dev.tern.credentials.rest.RestCredentialsProvider;
import dev.tern.spi.CredentialIssuer;
import dev.tern.host.SimpleProviderContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A real {@link Tern} for tests: tern-credentials' {@code rest} issuer (the one production uses) and a
 * small policy whose answers the test sets, which records every subject it was asked about.
 */
public final class TestTern implements AutoCloseable {

    public static final String SECRET = "a-test-secret-that-is-long-enough";
    public static final List<String> URIS = List.of("turn:turn.example.org:3478?transport=udp",
            "turns:turn.example.org:5349?transport=tcp");

    public final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    public final SimpleProviderContext context;
    public final CredentialIssuer issuer;
    public final RecordingPolicy policy;
    public final Tern tern;

    private TestTern(Path directory, Clock clock, boolean withIssuer, RecordingPolicy policy) {
        this(directory, clock, withIssuer, policy, URIS);
    }

    private TestTern(Path directory, Clock clock, boolean withIssuer, RecordingPolicy policy, List<String> uris) {
        SimpleProviderContext base = SimpleProviderContext.of("example.org", scheduler, directory);
        this.context = new SimpleProviderContext("example.org", clock, scheduler, base.httpClient(), base.metrics(),
                SimpleProviderContext.Directories.of(directory));
        this.issuer = withIssuer ? new RestCredentialsProvider().create(RestCredentialsConfig.builder()
                .secrets(List.of(Secret.of(SECRET)))
                .lifetime(Duration.ofHours(1))
                .uris(uris)
                .build(), context)
                : null;
        this.policy = policy;
        Tern.Builder builder = Tern.builder().policy(policy);
        if (issuer != null) {
            builder.issuer(issuer);
        }
        this.tern = builder.build();
    }

    /** A Tern with the rest issuer and the given policy. */
    public static TestTern withIssuer(Path directory, Clock clock, RecordingPolicy policy) {
        return new TestTern(directory, clock, true, policy);
    }

    /** A Tern with the rest issuer handing out these TURN URIs, and the given policy. */
    public static TestTern withIssuer(Path directory, Clock clock, RecordingPolicy policy, List<String> uris) {
        return new TestTern(directory, clock, true, policy, uris);
    }

    /** A Tern without TURN configured. */
    public static TestTern withoutIssuer(Path directory, Clock clock) {
        return new TestTern(directory, clock, false, new RecordingPolicy(false, Set.of(), true));
    }

    @Override
    public void close() {
        tern.close();
        scheduler.shutdownNow();
    }

    /**
     * Policy with fixed answers: relay forced for everyone (server-wide) or for some users only, users denied
     * TURN, guests allowed or not.
     */
    public static final class RecordingPolicy implements PolicyEvaluator {
        private final boolean forceRelay;
        private final Set<String> forcedUsers;
        private final Set<String> denied;
        private final boolean guestsAllowed;
        public final List<Subject> asked = new CopyOnWriteArrayList<>();

        public RecordingPolicy(boolean forceRelay, Set<String> denied, boolean guestsAllowed) {
            this(forceRelay, Set.of(), denied, guestsAllowed);
        }

        private RecordingPolicy(boolean forceRelay, Set<String> forcedUsers, Set<String> denied, boolean guestsAllowed) {
            this.forceRelay = forceRelay;
            this.forcedUsers = forcedUsers;
            this.denied = denied;
            this.guestsAllowed = guestsAllowed;
        }

        /** Relay forced for these users only (not server-wide); everyone may use TURN. */
        public static RecordingPolicy forcingUsers(Set<String> users) {
            return new RecordingPolicy(false, users, Set.of(), true);
        }

        @Override
        public CompletionStage<PolicyDecision> decide(Subject subject) {
            asked.add(subject);
            return CompletableFuture.completedFuture(decision(!denied.contains(subject.userId()),
                    forceRelay || forcedUsers.contains(subject.userId())));
        }

        @Override
        public CompletionStage<PolicyDecision> decideServerWide() {
            return CompletableFuture.completedFuture(decision(true, forceRelay));
        }

        private PolicyDecision decision(boolean turnAllowed, boolean forced) {
            Provenance test = new Provenance("test", "test");
            return new PolicyDecision(TurnPolicy.builder().forceRelay(forced).turnAllowed(turnAllowed)
                    .guestsAllowed(guestsAllowed).build(),
                    Map.of(PolicyField.FORCE_RELAY, test, PolicyField.TURN_ALLOWED, test, PolicyField.GUESTS_ALLOWED, test));
        }
    }
}
