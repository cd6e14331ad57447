package dev.tern.relay;

import dev.tern.spi.PolicyEvaluator;
import dev.tern.spi.Subject;
import dev.tern.spi.TurnCredentials;
import dev.tern.turn.client.TurnClient;
import dev.tern.relay.plane.DataPlaneMode;
import dev.tern.stun.ChannelNumbers;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import dev.tern.spi.Secret;
import dev.tern.credentials.rest.RestCredentialsConfig;
import dev.tern.credentials.rest.RestCredentialsProvider;
import dev.tern.relay.transport.EventLoops;
import dev.tern.spi.CredentialIssuer;
import dev.tern.spi.CredentialVerifier;
import dev.tern.spi.Fleet;
import dev.tern.spi.RelayContext;
import dev.tern.host.SimpleProviderContext;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A Tern relay on loopback with TURN REST credentials (the real {@code rest} verifier), for tests.
 * Close it to stop the relay and its scheduler.
 */
public final class RelayFixture implements AutoCloseable {

    public static final String SECRET = "tern-test-secret-0123456789abcdef";
    public static final String REALM = "tern.test";

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final CountingMetrics metrics = new CountingMetrics();
    private final CredentialIssuer issuer;
    private final NettyRelayServer server;

    /**
     * The system property that picks the data plane of every fixture's relay ({@code user}, {@code kernel} or
     * {@code auto}) whose config leaves it at {@code auto}; the failsafe plugin runs the interop ITs once per
     * plane with it. Unset: the config's own.
     */
    public static final String DATA_PLANE_PROPERTY = "tern.test.data_plane";

    private RelayFixture(RelayConfig config, PolicyEvaluator policy, Clock clock) {
        this(config, policy, clock, EventLoops.detect());
    }

    private RelayFixture(RelayConfig config, PolicyEvaluator policy, Clock clock, EventLoops transport) {
        this(config, policy, clock, transport, Fleet.NONE);
    }

    private RelayFixture(RelayConfig config, PolicyEvaluator policy, Clock clock, EventLoops transport, Fleet fleet) {
        String plane = System.getProperty(DATA_PLANE_PROPERTY);
        if (plane != null && !plane.isBlank() && config.dataPlaneMode() == DataPlaneMode.AUTO) {
            config = config.toBuilder().dataPlane(DataPlaneMode.parse(plane)).build();
        }
        SimpleProviderContext ctx = new SimpleProviderContext("tern.test", clock, scheduler,
                HttpClient.newHttpClient(), metrics, SimpleProviderContext.Directories.of(Path.of(".")));
        issuer = new RestCredentialsProvider().create(
                RestCredentialsConfig.of(List.of(Secret.of(SECRET)), List.of()), ctx);
        CredentialVerifier verifier = issuer.verifier().orElseThrow();
        RelayContext relayContext = ctx.forRelay(verifier, policy, fleet);
        server = new NettyRelayServer(config, relayContext, transport);
        server.start().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** A relay allowing loopback peers, with a permissive policy. */
    public static RelayFixture loopbackPeersAllowed() {
        return start(config(List.of("127.0.0.1"), null), PolicyEvaluator.PERMISSIVE);
    }

    /**
     * A relay allowing loopback peers that accepts the channel numbers coturn's {@code turnutils_uclient}
     * binds (up to 0x7FFF).
     */
    public static RelayFixture forCoturnClients() {
        return start(config(List.of("127.0.0.1"), null).toBuilder().channelNumbers(ChannelNumbers.COTURN).build(),
                PolicyEvaluator.PERMISSIVE);
    }

    /** A relay allowing loopback peers on Netty's NIO transport (where epoll would be used otherwise). */
    public static RelayFixture loopbackPeersAllowedOnNio() {
        return new RelayFixture(config(List.of("127.0.0.1"), null), PolicyEvaluator.PERMISSIVE, Clock.systemUTC(),
                EventLoops.nio());
    }

    /** A relay with this config and a permissive policy on Netty's NIO transport. */
    public static RelayFixture onNio(RelayConfig config) {
        return new RelayFixture(config, PolicyEvaluator.PERMISSIVE, Clock.systemUTC(), EventLoops.nio());
    }

    /** A relay with default peer filtering. */
    public static RelayFixture defaults() {
        return start(config(null, null), PolicyEvaluator.PERMISSIVE);
    }

    public static RelayFixture start(RelayConfig config, PolicyEvaluator policy) {
        return new RelayFixture(config, policy, Clock.systemUTC());
    }

    public static RelayFixture start(RelayConfig config, PolicyEvaluator policy, Clock clock) {
        return new RelayFixture(config, policy, clock);
    }

    /** A relay with this config, a permissive policy and this fleet (whose live relays a drain sends clients to). */
    public static RelayFixture inFleet(RelayConfig config, Fleet fleet) {
        return new RelayFixture(config, PolicyEvaluator.PERMISSIVE, Clock.systemUTC(), EventLoops.detect(), fleet);
    }

    /** Fresh TURN REST credentials for a Matrix user. */
    public TurnCredentials credentials(String userId) {
        return issuer.issue(Subject.user(userId), Duration.ofHours(1));
    }

    /** A client of this relay with fresh credentials for {@code userId}. */
    public TurnClient client(String userId) {
        TurnCredentials c = credentials(userId);
        return new TurnClient(address(), Duration.ofSeconds(5)).credentials(c.username(), c.password());
    }

    /** A client of this relay with fresh credentials issued to the Matrix guest {@code userId}. */
    public TurnClient guestClient(String userId) {
        TurnCredentials c = issuer.issue(Subject.guest(userId), Duration.ofHours(1));
        return new TurnClient(address(), Duration.ofSeconds(5)).credentials(c.username(), c.password());
    }

    /** A loopback config with these allowed peers and user quota. */
    public static RelayConfig config(List<String> allowedPeers, Integer userQuota) {
        return RelayConfig.builder(REALM)
                .listen("udp://127.0.0.1:0")
                .ports("40000-60000")
                .allowedPeers(allowedPeers)
                .userQuota(userQuota)
                .threads(2)
                .build();
    }

    /** What the relay counted. */
    CountingMetrics metrics() {
        return metrics;
    }

    public NettyRelayServer server() {
        return server;
    }

    public CredentialIssuer issuer() {
        return issuer;
    }

    public InetSocketAddress address() {
        return server.listenAddresses().get(0);
    }

    public int port() {
        return address().getPort();
    }

    @Override
    public void close() {
        try {
            server.stop().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
        } finally {
            issuer.close();
            scheduler.shutdownNow();
        }
    }
}
