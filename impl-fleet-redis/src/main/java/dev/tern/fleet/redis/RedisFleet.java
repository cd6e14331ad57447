package dev.tern.fleet.redis;

import dev.tern.spi.Fleet;
import dev.tern.spi.FleetHealth;
import dev.tern.spi.InvalidSettingException;
import dev.tern.spi.LeaseOutcome;
import dev.tern.spi.MetricsRecorder;
import dev.tern.spi.ProviderContext;
import dev.tern.spi.RelayStatus;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Fleet} on Redis through Lettuce: a heartbeat script registers this relay and reads the live ones, a lease
 * script counts a user's allocations over the fleet, revocations go through a hash and pub/sub (see
 * {@link FleetScripts} for the layout). Redis is never on the per-packet path.
 *
 * <p>When Redis cannot be reached (or answers later than {@code timeout}) every call still completes: leases are
 * {@link LeaseOutcome#LOCAL}, {@link #health()} is degraded, and the leases taken meanwhile are kept here. Once a
 * beat finds Redis again, or finds this relay's registration gone (Redis restarted empty), the relay re-registers,
 * re-publishes the leases of its live allocations and reloads the revocations.
 *
 * <p>Thread-safe. Lettuce's callbacks run on its own threads; the beat runs on the host's scheduler and never
 * blocks it. Log lines and health details never carry the password or the URI's credentials (there are none: the
 * config refuses them).
 */
public final class RedisFleet implements Fleet {

    private static final Logger LOG = LoggerFactory.getLogger(RedisFleet.class);

    private final RedisFleetConfig config;
    private final ProviderContext context;
    private final MetricsRecorder metrics;
    private final ClientResources resources;
    private final RedisClient client;
    private final RedisURI uri;
    private final RevocationCache revocations;
    private final FleetNonceKey nonceKey = new FleetNonceKey();
    /** The leases this relay holds: lease field to user id. Bounded by its live allocations. */
    private final Map<String, String> leases = new ConcurrentHashMap<>();
    private final AtomicBoolean beating = new AtomicBoolean();
    private final AtomicBoolean connecting = new AtomicBoolean();
    private volatile String relayId;
    private volatile StatefulRedisConnection<String, String> connection;
    /** The latest connection attempt, for a revocation asked before the first one ended (a one-shot command). */
    private volatile CompletableFuture<StatefulRedisConnection<String, String>> attempt = new CompletableFuture<>();
    private volatile StatefulRedisPubSubConnection<String, String> pubSub;
    private volatile FleetHealth health = FleetHealth.degraded("not connected to Redis yet");
    private volatile boolean needsCatchUp = true;
    private volatile List<RelayStatus> live = List.of();
    private volatile Supplier<RelayStatus> self;
    private volatile ScheduledFuture<?> beat;
    private volatile boolean closed;

    private RedisFleet(RedisFleetConfig config, ProviderContext context, ClientResources resources,
            RedisClient client, RedisURI uri) {
        this.config = config;
        this.context = context;
        this.metrics = context.metrics();
        this.resources = resources;
        this.client = client;
        this.uri = uri;
        this.revocations = new RevocationCache(config.credentialLifetime().plusMinutes(5));
        this.relayId = config.relayId().isEmpty() ? hostName() : config.relayId();
    }

    /**
     * Makes the fleet and starts connecting in the background; never blocks on Redis.
     *
     * @throws InvalidSettingException for a {@code ca_file} that cannot be read
     */
    static RedisFleet create(RedisFleetConfig config, ProviderContext context) {
        RedisURI.Builder uri = RedisURI.builder(RedisURI.create(config.uri())).withTimeout(config.timeout());
        if (config.password() != null) {
            char[] password = config.password().reveal().toCharArray();
            uri = config.username() != null ? uri.withAuthentication(config.username(), password)
                    : uri.withPassword(password);
        }
        ClientOptions.Builder options = ClientOptions.builder()
                .autoReconnect(true)
                // Fail at once while disconnected, so an Allocate goes on alone instead of waiting for Redis.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(config.timeout()))
                .socketOptions(SocketOptions.builder().connectTimeout(config.timeout().multipliedBy(4)).build());
        if (config.caFile() != null) {
            if (!Files.isReadable(config.caFile())) {
                throw new InvalidSettingException("ca_file", "cannot be read: " + config.caFile());
            }
            options.sslOptions(SslOptions.builder().jdkSslProvider().trustManager(config.caFile().toFile()).build());
        }
        // Reconnect every beat, not with Lettuce's default backoff (up to 30 s): the catch-up waits for it.
        ClientResources resources = DefaultClientResources.builder().ioThreadPoolSize(2)
                .computationThreadPoolSize(1).reconnectDelay(Delay.constant(config.heartbeat())).build();
        RedisClient client = RedisClient.create(resources);
        client.setOptions(options.build());
        RedisFleet fleet = new RedisFleet(config, context, resources, client, uri.build());
        fleet.connect();
        return fleet;
    }

    @Override
    public String relayId() {
        return relayId;
    }

    @Override
    public void join(Supplier<RelayStatus> status) {
        Objects.requireNonNull(status, "status");
        if (config.relayId().isEmpty()) {
            // No relay_id configured: the host's own choice (host and port) names this relay.
            relayId = status.get().relayId();
        }
        this.self = status;
        long every = config.heartbeat().toMillis();
        beat = context.scheduler().scheduleAtFixedRate(this::beat, 0, every, TimeUnit.MILLISECONDS);
        LOG.info("joined fleet '{}' on Redis as relay {} (heartbeat {}, gone after {} missed beats)",
                config.namespace(), relayId, config.heartbeat(), config.missedBeats());
    }

    @Override
    public List<RelayStatus> liveRelays() {
        return live;
    }

    /** One read-only script over the connection (connecting first if need be); this relay is not registered. */
    @Override
    public CompletionStage<List<RelayStatus>> readLiveRelays() {
        return open().thenCompose(c -> c.async().<List<Object>>eval(FleetScripts.LIVE, ScriptOutputType.MULTI,
                new String[0], config.namespace())).thenApply(reply -> relays(reply.subList(1, reply.size())));
    }

    @Override
    public FleetHealth health() {
        return health;
    }

    /**
     * Waits for Redis at most twelve {@code timeout}s, at least 3 s (see {@link FleetNonceKey}): a relay starting while
     * Redis cannot be reached starts that much later.
     */
    @Override
    public byte[] chooseNonceKey(Optional<byte[]> configured) {
        return nonceKey.choose(configured, () -> {
            if (connection == null && attempt.isCompletedExceptionally()) {
                connect();
            }
            return open();
        }, config.namespace(), max(config.timeout().multipliedBy(12), Duration.ofSeconds(3)), relayId);
    }

    @Override
    public CompletionStage<LeaseOutcome> acquireLease(String userId, String allocationId, int maxAllocations) {
        requireId(userId, "userId");
        requireId(allocationId, "allocationId");
        if (maxAllocations < 1) {
            throw new IllegalArgumentException("maxAllocations must be at least 1");
        }
        String field = relayId + "|" + allocationId;
        leases.put(field, userId);
        StatefulRedisConnection<String, String> c = connection;
        if (c == null || !c.isOpen()) {
            failed("lease", new RedisConnectionException("not connected"));
            return CompletableFuture.completedFuture(LeaseOutcome.LOCAL);
        }
        return c.async().<Long>eval(FleetScripts.ACQUIRE, ScriptOutputType.INTEGER, new String[0],
                config.namespace(), userId, field, relayId, Integer.toString(maxAllocations))
                .handle((granted, error) -> {
                    if (error != null) {
                        failed("lease", error);
                        return LeaseOutcome.LOCAL;
                    }
                    if (granted == 1L) {
                        return LeaseOutcome.GRANTED;
                    }
                    leases.remove(field);
                    metrics.count("tern_fleet_lease_refusals", Map.of(), 1);
                    return LeaseOutcome.REFUSED;
                });
    }

    @Override
    public void releaseLease(String userId, String allocationId) {
        String field = relayId + "|" + allocationId;
        if (leases.remove(field) == null) {
            return;
        }
        StatefulRedisConnection<String, String> c = connection;
        if (c != null && c.isOpen()) {
            // Not awaited: a release lost to an outage ends with this relay's heartbeat, or at the catch-up.
            c.async().hdel(config.namespace() + ":leases:" + userId, field)
                    .exceptionally(e -> {
                        failed("release", e);
                        return 0L;
                    });
        }
    }

    @Override
    public CompletionStage<Void> revoke(String userId) {
        requireId(userId, "userId");
        return open().thenCompose(c -> revoke(c, userId));
    }

    /**
     * The connection once open, waiting for a connection attempt not ended yet (for one-shot commands asked right
     * after {@link #create}); fails with a secret-free reason when Redis cannot be reached.
     */
    private CompletionStage<StatefulRedisConnection<String, String>> open() {
        StatefulRedisConnection<String, String> open = connection;
        CompletionStage<StatefulRedisConnection<String, String>> ready = open != null
                ? CompletableFuture.completedFuture(open) : attempt;
        return ready.thenCompose(c -> c.isOpen() ? CompletableFuture.completedFuture(c)
                : CompletableFuture.failedFuture(new IllegalStateException(
                        "the fleet's Redis cannot be reached (" + health.detail() + ")")));
    }

    private CompletionStage<Void> revoke(StatefulRedisConnection<String, String> c, String userId) {
        return c.async().<Long>eval(FleetScripts.REVOKE, ScriptOutputType.INTEGER, new String[0],
                config.namespace(), userId).thenAccept(at -> {
                    LOG.info("revoked {} in fleet '{}'", userId, config.namespace());
                    applyRevocation(userId, Instant.ofEpochMilli(at));
                });
    }

    @Override
    public Optional<Instant> revokedAt(String userId) {
        return revocations.revokedAt(userId);
    }

    @Override
    public void onRevoke(Consumer<String> listener) {
        revocations.onRevoke(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Refuses credentials expiring no later than the revocation time plus {@code credential_lifetime} (they were
     * issued before it), and credentials that never expire (static ones) as long as the revocation is kept.
     */
    @Override
    public boolean revokes(String userId, Optional<Instant> expiresAt) {
        Optional<Instant> at = revocations.revokedAt(userId);
        return at.isPresent() && (expiresAt.isEmpty()
                || !expiresAt.get().isAfter(at.get().plus(config.credentialLifetime())));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        ScheduledFuture<?> b = beat;
        if (b != null) {
            b.cancel(false);
        }
        // A heartbeat already past its closed check would re-register this relay after the LEAVE below (one
        // connection keeps the order of what is written): wait for it to be answered (bounded), then hold the flag so
        // that none starts.
        long waitUntil = System.nanoTime() + config.timeout().toNanos() * 4;
        while (!beating.compareAndSet(false, true) && System.nanoTime() < waitUntil) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        StatefulRedisConnection<String, String> c = connection;
        // Only a joined relay deregisters: a fleet that never joined (a probe, a revocation from the command line)
        // may carry the relay_id of a live relay from its config and must not remove that relay's registration.
        if (c != null && c.isOpen() && self != null) {
            try {
                var async = c.async();
                List<CompletionStage<?>> pending = new ArrayList<>();
                pending.add(async.eval(FleetScripts.LEAVE, ScriptOutputType.INTEGER, new String[0],
                        config.namespace(), relayId));
                leases.forEach((field, user) -> pending.add(async.hdel(config.namespace() + ":leases:" + user, field)));
                CompletableFuture.allOf(pending.stream().map(CompletionStage::toCompletableFuture)
                        .toArray(CompletableFuture[]::new)).get(config.timeout().toMillis() * 4, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                LOG.info("could not deregister relay {} from Redis ({}); it expires after {}", relayId,
                        RedisTrouble.reason(e), config.expiry());
            }
        }
        leases.clear();
        // In order, each bounded: connections, client, then the threads their callbacks run on.
        try {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            resources.shutdown(0, 2, TimeUnit.SECONDS).get(3, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("Lettuce did not shut down cleanly", e);
        }
    }

    private void connect() {
        if (closed || !connecting.compareAndSet(false, true)) {
            return;
        }
        if (connection != null) {
            connectPubSub();
            return;
        }
        CompletableFuture<StatefulRedisConnection<String, String>> current = attempt.isDone()
                ? new CompletableFuture<>() : attempt;
        attempt = current;
        client.connectAsync(StringCodec.UTF8, uri).whenComplete((c, error) -> {
            if (error != null) {
                connecting.set(false);
                failed("connect", error);
                current.completeExceptionally(new IllegalStateException("the fleet's Redis cannot be reached ("
                        + health.detail() + ")"));
                return;
            }
            current.complete(c);
            if (closed) {
                c.closeAsync();
                return;
            }
            connection = c;
            connectPubSub();
        });
    }

    private void connectPubSub() {
        client.connectPubSubAsync(StringCodec.UTF8, uri).whenComplete((p, error) -> {
            if (error != null) {
                failed("subscribe", error);
                connecting.set(false);
                return;
            }
            p.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    revoked(message);
                }
            });
            p.async().subscribe(config.namespace() + ":revocations").whenComplete((v, e) -> {
                if (e != null) {
                    failed("subscribe", e);
                    p.closeAsync();
                } else {
                    pubSub = p;
                    needsCatchUp = true;
                }
                connecting.set(false);
            });
        });
    }

    private void beat() {
        if (closed || !beating.compareAndSet(false, true)) {
            return;
        }
        StatefulRedisConnection<String, String> c = connection;
        if (c == null || pubSub == null) {
            beating.set(false);
            connect();
            return;
        }
        RelayStatus status;
        try {
            status = self.get();
        } catch (RuntimeException e) {
            beating.set(false);
            LOG.warn("the relay's status could not be read for the heartbeat", e);
            return;
        }
        status = new RelayStatus(relayId, status.uris(), nonceKey.setup(status.dataPlane()), status.load(),
                status.draining(), context.clock().instant());
        c.async().<List<Object>>eval(FleetScripts.BEAT, ScriptOutputType.MULTI, new String[0], config.namespace(),
                relayId, RelayStatusLine.write(status), Long.toString(config.expiry().toMillis()))
                .whenComplete((reply, error) -> {
                    try {
                        if (error != null) {
                            failed("heartbeat", error);
                        } else {
                            beaten(c, reply);
                        }
                    } finally {
                        beating.set(false);
                    }
                });
    }

    private void beaten(StatefulRedisConnection<String, String> c, List<Object> reply) {
        Instant now = Instant.ofEpochMilli(Long.parseLong((String) reply.get(0)));
        boolean registered = "1".equals(reply.get(1));
        live = relays(reply.subList(2, reply.size()));
        nonceKey.check(relayId, live);
        revocations.prune(now);
        if (needsCatchUp || !registered) {
            catchUp(c);
        } else if (!health.up()) {
            recovered();
        }
    }

    /** The relays of status lines read from Redis, ordered by relay id; unreadable lines are left out. */
    private static List<RelayStatus> relays(List<Object> lines) {
        List<RelayStatus> relays = new ArrayList<>();
        for (Object line : lines) {
            RelayStatusLine.read((String) line).ifPresent(relays::add);
        }
        relays.sort(Comparator.comparing(RelayStatus::relayId));
        return List.copyOf(relays);
    }

    /** Re-publishes this relay's leases and reloads the revocations: after an outage or a Redis restart. */
    private void catchUp(StatefulRedisConnection<String, String> c) {
        needsCatchUp = false;
        var async = c.async();
        leases.forEach((field, user) -> async.hset(config.namespace() + ":leases:" + user, field, relayId));
        nonceKey.restore(c, config.namespace());
        async.<List<Object>>eval(FleetScripts.REVOCATIONS, ScriptOutputType.MULTI, new String[0], config.namespace(),
                Long.toString(config.credentialLifetime().plusMinutes(5).toMillis())).whenComplete((reply, error) -> {
                    if (error != null) {
                        needsCatchUp = true;
                        failed("catch-up", error);
                        return;
                    }
                    for (int i = 1; i + 1 < reply.size(); i += 2) {
                        applyRevocation((String) reply.get(i), Instant.ofEpochMilli(Long.parseLong((String) reply.get(i + 1))));
                    }
                    LOG.info("relay {} (re)registered in fleet '{}': {} leases re-published, {} revocations in force",
                            relayId, config.namespace(), leases.size(), revocations.size());
                    recovered();
                });
    }

    private void recovered() {
        if (!health.up()) {
            LOG.info("the fleet's Redis answers again; relay {} shares quotas and revocations again", relayId);
        }
        health = FleetHealth.UP;
    }

    private void revoked(String message) {
        int space = message.indexOf(' ');
        try {
            applyRevocation(message.substring(space + 1), Instant.ofEpochMilli(Long.parseLong(message.substring(0, space))));
        } catch (RuntimeException e) {
            LOG.warn("ignored a malformed revocation message on {}:revocations", config.namespace());
        }
    }

    private void applyRevocation(String userId, Instant at) {
        if (revocations.apply(userId, at)) {
            metrics.count("tern_fleet_revocations", Map.of(), 1);
        }
    }

    private void failed(String what, Throwable error) {
        if (closed) {
            // A connection attempt cut short by close() (a probe closing its read-only view at once) is no trouble.
            return;
        }
        String detail = "Redis " + what + " failed: " + RedisTrouble.reason(error);
        if (health.up() || !health.detail().equals(detail)) {
            LOG.warn("{}; relay {} goes on with local quotas until Redis answers", detail, relayId);
        }
        health = FleetHealth.degraded(detail);
        needsCatchUp = true;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static void requireId(String id, String name) {
        Objects.requireNonNull(id, name);
        if (id.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "relay";
        }
    }
}
