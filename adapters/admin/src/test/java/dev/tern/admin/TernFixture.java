package dev.tern.admin;

import dev.tern.admin.metrics.PrometheusMetrics;
import dev.tern.spi.PolicyEvaluator;
import dev.tern.spi.Secret;
import dev.tern.spi.Subject;
import dev.tern.api.Tern;
import dev.tern.spi.TurnCredentials;
import dev.tern.config.ConfigLoader;
import dev.tern.credentials.rest.RestCredentialsConfig;
import dev.tern.credentials.rest.RestCredentialsProvider;
import dev.tern.relay.NettyRelayProvider;
import dev.tern.relay.RelayConfig;
import dev.tern.spi.CredentialIssuer;
import dev.tern.spi.RelayServer;
import dev.tern.host.SimpleProviderContext;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A real Tern for tests: the netty relay on loopback (UDP, relay ports on {@code relayAddress}), TURN
 * REST credentials whose URIs point at the relay, the given policy, and Prometheus metrics wired as the
 * providers' recorder and the relay's listener. Close it to stop everything it started.
 */
final class TernFixture implements AutoCloseable {

    static final String SECRET = "tern-admin-test-secret-0123456789";
    static final String REALM = "tern.test";

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final PrometheusMetrics metrics = new PrometheusMetrics();
    private final CredentialIssuer relayIssuer;
    private final RelayServer relay;
    private final Tern tern;

    private TernFixture(String relayAddress, List<String> allowedPeers, PolicyEvaluator policy, boolean start) {
        SimpleProviderContext context = new SimpleProviderContext(REALM, Clock.systemUTC(), scheduler,
                HttpClient.newHttpClient(), metrics, SimpleProviderContext.Directories.of(Path.of("target")));
        RestCredentialsProvider credentials = new RestCredentialsProvider();
        relayIssuer = credentials.create(RestCredentialsConfig.of(List.of(Secret.of(SECRET)), List.of()), context);
        RelayConfig config = relayConfig(relayAddress, allowedPeers);
        relay = new NettyRelayProvider().create(config,
                context.forRelay(relayIssuer.verifier().orElseThrow(), policy));
        metrics.watch(relay);
        List<String> uris = List.of();
        if (start) {
            relay.start().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
            // The URIs name the port the relay got, so a second issuer with the same secret hands them out.
            uris = List.of("turn:127.0.0.1:" + relay.listenAddresses().get(0).getPort() + "?transport=udp");
        }
        CredentialIssuer issuer = credentials.create(RestCredentialsConfig.of(List.of(Secret.of(SECRET)), uris),
                context);
        tern = Tern.builder().issuer(issuer).policy(policy).relay(relay).build();
    }

    /** The relay section bound from YAML by tern-config's binder, as the launcher binds it. */
    private static RelayConfig relayConfig(String relayAddress, List<String> allowedPeers) {
        String yaml = "server_name: " + REALM + "\n"
                + "relay:\n"
                + "  type: netty\n"
                + "  realm: " + REALM + "\n"
                + "  listen: [\"udp://127.0.0.1:0\"]\n"
                + (relayAddress == null ? "" : "  relay_address: " + relayAddress + "\n")
                + "  ports: 40000-60000\n"
                + "  allowed_peers: [" + String.join(", ", allowedPeers) + "]\n"
                + "  threads: 2\n";
        return (RelayConfig) ConfigLoader.standard().parse(yaml, "admin test relay", Path.of("target"))
                .relay().orElseThrow().config();
    }

    /** A started relay on 127.0.0.1 whose peers may be on 127.0.0.1. */
    static TernFixture started(PolicyEvaluator policy) {
        return new TernFixture(null, List.of("127.0.0.1"), policy, true);
    }

    /** A started relay with relay ports on {@code relayAddress}, only that address allowed as a peer. */
    static TernFixture relayingOn(String relayAddress) {
        return new TernFixture(relayAddress, List.of(relayAddress), PolicyEvaluator.PERMISSIVE, true);
    }

    /** A relay that was created but never started (so not bound). */
    static TernFixture notStarted() {
        return new TernFixture(null, List.of(), PolicyEvaluator.PERMISSIVE, false);
    }

    Tern tern() {
        return tern;
    }

    RelayServer relay() {
        return relay;
    }

    PrometheusMetrics metrics() {
        return metrics;
    }

    InetSocketAddress relayAddress() {
        return relay.listenAddresses().get(0);
    }

    TurnCredentials credentials(String userId) {
        return relayIssuer.issue(Subject.user(userId), Duration.ofHours(1));
    }

    @Override
    public void close() {
        try {
            tern.close();
        } finally {
            relayIssuer.close();
            scheduler.shutdownNow();
        }
    }
}
