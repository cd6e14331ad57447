package dev.tern.bench;

import com.google.inject.Injector;
import dev.tern.spi.Secret;
import dev.tern.api.Tern;
import dev.tern.config.ConfigLoader;
import dev.tern.credentials.rest.TurnRestPassword;
import dev.tern.guice.TernInjector;
import dev.tern.guice.TernLifecycle;
import dev.tern.turn.client.StunResponse;
import dev.tern.turn.client.TurnClient;
import dev.tern.testing.FreePorts;
import dev.tern.testing.redis.RedisServer;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;

/**
 * The {@code fleet} subcommand (#18 point 2): what the redis fleet's lease adds to an Allocate. Starts a
 * redis-server of its own and two relays from config on loopback, identical but for the {@code fleet} section
 * ({@code none} and {@code redis}), both with {@code max_allocations} set so every Allocate asks for a lease. One
 * client per relay allocates and deletes (Refresh 0) in turn, A B A B, so both see the same machine load; the time
 * of each authenticated Allocate transaction is recorded, and p50/p99 are printed side by side.
 */
final class FleetLatencyCommand {

    private static final String SECRET = "fleet-bench-secret-0123456789";

    private FleetLatencyCommand() {
    }

    static int run(String[] argv, PrintStream out) throws Exception {
        Args args = new Args(argv, Set.of("json"));
        int allocations = args.integer("allocations", 2000);
        int warmUp = args.integer("warm-up", 500);
        boolean json = args.flag("json");
        args.rejectUnknown();
        Path dir = Files.createTempDirectory("tern-fleet-bench");
        try (RedisServer redis = RedisServer.start(dir)) {
            Injector alone = relay(dir, "alone", "{type: none}");
            Injector fleet = relay(dir, "fleet", "{type: redis, uri: \"" + redis.uri() + "\", relay_id: bench}");
            try (TurnClient a = client(alone); TurnClient b = client(fleet)) {
                long[] withoutFleet = new long[allocations];
                long[] withFleet = new long[allocations];
                for (int i = -warmUp; i < allocations; i++) {
                    long ta = allocateAndDelete(a);
                    long tb = allocateAndDelete(b);
                    if (i >= 0) {
                        withoutFleet[i] = ta;
                        withFleet[i] = tb;
                    }
                }
                Arrays.sort(withoutFleet);
                Arrays.sort(withFleet);
                if (json) {
                    out.printf("{\"allocations\":%d,\"none\":{\"p50_us\":%.1f,\"p99_us\":%.1f},"
                            + "\"redis\":{\"p50_us\":%.1f,\"p99_us\":%.1f}}%n", allocations,
                            micros(withoutFleet, 0.50), micros(withoutFleet, 0.99), micros(withFleet, 0.50),
                            micros(withFleet, 0.99));
                } else {
                    out.printf("Allocate latency over %d Allocates each (after %d warm-up), loopback%n", allocations,
                            warmUp);
                    out.printf("  fleet none : p50 %8.1f us   p99 %8.1f us%n", micros(withoutFleet, 0.50),
                            micros(withoutFleet, 0.99));
                    out.printf("  fleet redis: p50 %8.1f us   p99 %8.1f us%n", micros(withFleet, 0.50),
                            micros(withFleet, 0.99));
                }
            } finally {
                alone.getInstance(TernLifecycle.class).stop();
                fleet.getInstance(TernLifecycle.class).stop();
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }

    private static Injector relay(Path dir, String name, String fleet) throws Exception {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, """
                server_name: example.org
                credentials: { type: rest, secrets: ["%s"], uris: ["turn:127.0.0.1:3478"] }
                policy: { defaults: { max_allocations: 1000 } }
                relay: { type: netty, realm: example.org, listen: ["udp://127.0.0.1:0"], ports: %s, threads: 1,
                         data_plane: user }
                fleet: %s
                """.formatted(SECRET, FreePorts.relayRange(50), fleet));
        Injector injector = TernInjector.create(ConfigLoader.standard().load(file));
        injector.getInstance(TernLifecycle.class).start();
        return injector;
    }

    private static TurnClient client(Injector relay) {
        InetSocketAddress server = relay.getInstance(Tern.class).relay().orElseThrow().listenAddresses().get(0);
        String username = Instant.now().plus(Duration.ofHours(2)).getEpochSecond() + ":@bench:example.org";
        return new TurnClient(new InetSocketAddress(FreePorts.LOOPBACK, server.getPort()), Duration.ofSeconds(2))
                .credentials(username, TurnRestPassword.of(Secret.of(SECRET), username));
    }

    /** Nanoseconds of one Allocate; the allocation is deleted after (not timed). */
    private static long allocateAndDelete(TurnClient client) {
        long start = System.nanoTime();
        StunResponse r = client.allocate();
        long took = System.nanoTime() - start;
        if (!r.success()) {
            throw new IllegalStateException("Allocate failed with " + r.errorCode());
        }
        client.refresh(0);
        return took;
    }

    private static double micros(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1000.0;
    }
}
