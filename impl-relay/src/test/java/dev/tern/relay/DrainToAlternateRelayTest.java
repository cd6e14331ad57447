package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.spi.PolicyEvaluator;
import dev.tern.spi.Secret;
import dev.tern.spi.TurnCredentials;
import dev.tern.credentials.rest.RestCredentialsConfig;
import dev.tern.credentials.rest.RestCredentialsProvider;
import dev.tern.turn.client.StunResponse;
import dev.tern.turn.client.TurnClient;
import dev.tern.relay.transport.EventLoops;
import dev.tern.spi.CredentialIssuer;
import dev.tern.spi.RelayStatus;
import dev.tern.host.SimpleProviderContext;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A draining relay's Allocate answer (#18 point 5) on real relays over loopback: 300 Try Alternate with
 * ALTERNATE-SERVER naming the live relay its fleet lists, signed like every answer to an authenticated request, and
 * the client's Allocate there succeeds; with no live alternate, 508 as before. The fleet here is the list the Redis
 * fleet would cache ({@link ListedFleet}); the Redis fleet itself is tested in {@code tern-fleet-redis} and
 * end to end in the launcher's fleet ITs.
 */
class DrainToAlternateRelayTest {

    private static void drainingRelayAnswers(List<RelayStatus> others, Consumer<TurnClient> check) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        SimpleProviderContext ctx = SimpleProviderContext.of(RelayFixture.REALM, scheduler, Path.of("target"));
        CredentialIssuer issuer = new RestCredentialsProvider().create(
                RestCredentialsConfig.of(List.of(Secret.of(RelayFixture.SECRET)), List.of()), ctx);
        NettyRelayServer draining = new NettyRelayServer(RelayFixture.config(List.of("127.0.0.1"), null),
                ctx.forRelay(issuer.verifier().orElseThrow(), PolicyEvaluator.PERMISSIVE,
                        new ListedFleet("draining", others)), EventLoops.detect());
        try {
            draining.start().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
            draining.drain(Duration.ofMinutes(1));
            TurnCredentials c = issuer.issue(dev.tern.spi.Subject.user("@alice:tern.test"), Duration.ofHours(1));
            try (TurnClient client = new TurnClient(draining.listenAddresses().get(0), Duration.ofSeconds(5))
                    .credentials(c.username(), c.password())) {
                check.accept(client);
            }
        } finally {
            draining.stop().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
            issuer.close();
            scheduler.shutdownNow();
        }
    }

    @Test
    void aDrainingRelaySendsANewAllocationToALiveRelayOfItsFleet() {
        try (RelayFixture live = RelayFixture.loopbackPeersAllowed();
                RelayFixture alsoDraining = RelayFixture.loopbackPeersAllowed()) {
            List<RelayStatus> fleet = List.of(
                    ListedFleet.status("draining", new InetSocketAddress("127.0.0.1", 1), true),
                    ListedFleet.status("also-draining", alsoDraining.address(), true),
                    ListedFleet.status("live", live.address(), false));
            drainingRelayAnswers(fleet, client -> {
                StunResponse answer = client.allocate();
                assertEquals(300, answer.errorCode());
                assertEquals(Optional.of(live.address()), answer.alternateServer());
                assertTrue(client.authentic(answer), "signed with the request's key, as RFC 8489 section 10 asks");
                try (TurnClient moved = live.client("@alice:tern.test")) {
                    assertTrue(moved.allocate().success(), "the alternate takes the allocation");
                }
            });
        }
    }

    @Test
    void withoutALiveAlternateADrainingRelayAnswers508() {
        drainingRelayAnswers(List.of(), client -> {
            StunResponse answer = client.allocate();
            assertEquals(508, answer.errorCode());
            assertEquals(Optional.empty(), answer.alternateServer());
        });
    }
}
