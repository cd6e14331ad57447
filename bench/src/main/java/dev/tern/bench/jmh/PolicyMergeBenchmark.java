package dev.tern.bench.jmh;

import dev.tern.spi.MetricsRecorder;
import dev.tern.spi.Bitrate;
import dev.tern.spi.PolicyDecision;
import dev.tern.spi.Subject;
import dev.tern.spi.Transport;
import dev.tern.spi.TurnPolicy;
import dev.tern.policy.PolicyEngine;
import dev.tern.host.ConfiguredPolicySource;
import dev.tern.spi.PolicyAnswer;
import dev.tern.spi.PolicySource;
import dev.tern.spi.PolicySourceSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The policy engine deciding for one user over three sources that answer at once (as cached or
 * file sources do): asking, then the most-restrictive merge with provenance.
 */
public class PolicyMergeBenchmark extends HotPathBenchmark {

    private ScheduledExecutorService scheduler;
    private PolicyEngine engine;
    private Subject subject;

    @Setup
    public void setUp() {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        TurnPolicy defaults = TurnPolicy.builder().turnAllowed(true).guestsAllowed(false).maxAllocations(10).build();
        engine = new PolicyEngine(defaults, List.of(
                source("file", TurnPolicy.builder().forceRelay(true).maxAllocations(5).build()),
                source("ldap", TurnPolicy.builder().maxBitrate(Bitrate.parse("2M"))
                        .transports(Set.of(Transport.UDP, Transport.TCP)).build()),
                source("http", TurnPolicy.builder().maxAllocations(3).maxCredentialLifetime(Duration.ofHours(1))
                        .transports(Set.of(Transport.UDP)).build())), Clock.systemUTC(), scheduler,
                                MetricsRecorder.NONE);
        subject = Subject.user("@alice:example.org");
    }

    private static ConfiguredPolicySource source(String name, TurnPolicy policy) {
        PolicyAnswer answer = PolicyAnswer.byRule(name + " rule", policy);
        PolicySource source = new PolicySource() {
            @Override
            public CompletionStage<PolicyAnswer> evaluate(Subject subject) {
                return CompletableFuture.completedFuture(answer);
            }

            @Override
            public CompletionStage<PolicyAnswer> evaluateServerWide() {
                return CompletableFuture.completedFuture(answer);
            }
        };
        return new ConfiguredPolicySource(new PolicySourceSettings(name, PolicySourceSettings.OnError.FAIL_CLOSED,
                PolicySourceSettings.DEFAULT_TIMEOUT), source);
    }

    @TearDown
    public void tearDown() {
        engine.close();
        scheduler.shutdownNow();
    }

    @Benchmark
    public PolicyDecision decideThreeSources() {
        return engine.decide(subject).toCompletableFuture().join();
    }
}
