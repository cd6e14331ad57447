package dev.tern.fleet.redis;

import com.google.inject.Injector;
import dev.tern.spi.Secret;
import dev.tern.api.Tern;
import dev.tern.config.ConfigLoader;
import dev.tern.credentials.rest.TurnRestPassword;
import dev.tern.guice.TernInjector;
import dev.tern.guice.TernLifecycle;
import dev.tern.turn.client.TurnClient;
import dev.tern.spi.Fleet;
import dev.tern.spi.RelayServer;
import dev.tern.testing.FreePorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** One relay of a test fleet, built from config as the launcher builds it: REST credentials, Netty relay, fleet. */
final class FleetRelay implements AutoCloseable {

    static final String SECRET = "fleet-test-secret-0123456789";

    private final Injector injector;
    private final TernLifecycle lifecycle;

    private FleetRelay(Injector injector) {
        this.injector = injector;
        this.lifecycle = injector.getInstance(TernLifecycle.class);
        lifecycle.start();
    }

    /**
     * Starts a relay with {@code max_allocations: 2} in fleet {@code namespace}.
     *
     * @param fleetKeys the keys of the fleet section after {@code type: redis}, as YAML flow entries
     */
    static FleetRelay start(Path dir, String id, String fleetKeys) throws IOException {
        return start(dir, id, fleetKeys, "");
    }

    /**
     * Starts a relay as {@link #start(Path, String, String)} does, with more keys in its relay section.
     *
     * @param relayKeys more keys of the relay section, as YAML flow entries each followed by a comma
     */
    static FleetRelay start(Path dir, String id, String fleetKeys, String relayKeys) throws IOException {
        Path file = dir.resolve(id + ".yaml");
        Files.writeString(file, """
                server_name: example.org
                credentials: { type: rest, secrets: ["%s"], uris: ["turn:127.0.0.1:3478"] }
                policy: { defaults: { max_allocations: 2 } }
                relay: { type: netty, realm: example.org, listen: ["udp://127.0.0.1:0"], ports: %s, threads: 1, %s
                        data_plane: user }
                fleet: { type: redis, relay_id: %s, heartbeat: 200ms, missed_beats: 3, %s }
                """.formatted(SECRET, FreePorts.relayRange(20), relayKeys, id, fleetKeys));
        return new FleetRelay(TernInjector.create(ConfigLoader.standard().load(file)));
    }

    Tern tern() {
        return injector.getInstance(Tern.class);
    }

    Fleet fleet() {
        return injector.getInstance(Fleet.class);
    }

    RelayServer relay() {
        return tern().relay().orElseThrow();
    }

    /** A client of this relay with REST credentials of {@code user} expiring at {@code expiry}. */
    TurnClient client(String user, Instant expiry) {
        String username = expiry.getEpochSecond() + ":" + user;
        InetSocketAddress server = relay().listenAddresses().get(0);
        return new TurnClient(new InetSocketAddress(FreePorts.LOOPBACK, server.getPort()), Duration.ofSeconds(2))
                .credentials(username, TurnRestPassword.of(Secret.of(SECRET), username));
    }

    /** A client with credentials issued now (expiring in an hour). */
    TurnClient client(String user) {
        return client(user, Instant.now().plus(Duration.ofHours(1)));
    }

    @Override
    public void close() {
        lifecycle.stop();
    }
}
