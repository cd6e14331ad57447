package dev.tern.bench;

import dev.tern.spi.PolicyEvaluator;
import dev.tern.spi.Secret;
import dev.tern.credentials.rest.RestCredentialsConfig;
import dev.tern.credentials.rest.RestCredentialsProvider;
import dev.tern.relay.NettyRelayServer;
import dev.tern.relay.RelayConfig;
import dev.tern.relay.RelayProcessDefaults;
import dev.tern.relay.plane.DataPlaneMode;
import dev.tern.relay.transport.EventLoops;
import dev.tern.spi.CredentialIssuer;
import dev.tern.spi.MetricsRecorder;
import dev.tern.host.SimpleProviderContext;
import dev.tern.stun.ChannelNumbers;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs Tern's Netty relay alone in this JVM, configured like the coturn of {@code compare}: UDP on
 * loopback, TURN REST auth with one secret, loopback peers allowed, permissive policy. Prints
 * {@code READY host:port} once listening and runs until its standard input closes or it is killed; a
 * {@code heap} line on its standard input makes it print {@code HEAP bytes}, its heap in use after a full GC.
 *
 * <p>{@code java -cp tern-bench.jar dev.tern.bench.TernRelayMain --port 3478 --secret S [--threads 2]
 * [--data-plane user|kernel|auto]} (user space by default, unlike the relay's own default, auto)
 */
public final class TernRelayMain {

    private TernRelayMain() {
    }

    /** Heap in use after full collections (several, until the figure settles). */
    private static long heapUsedAfterGc() throws InterruptedException {
        java.lang.management.MemoryMXBean memory = java.lang.management.ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            long now = memory.getHeapMemoryUsage().getUsed();
            if (now >= used - 64 * 1024) {
                return Math.min(now, used);
            }
            used = now;
        }
        return used;
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, Set.of());
        int port = args.integer("port", 3478);
        String secret = args.string("secret", null);
        int threads = args.integer("threads", Runtime.getRuntime().availableProcessors());
        String ports = args.string("ports", "50000-59999");
        // User space unless asked: compare and capacity measure the relay's own process CPU, which kernel
        // forwarding (charged to the sender's softirq) would hide; overhead asks for each plane.
        DataPlaneMode dataPlane = DataPlaneMode.parse(args.string("data-plane", "user"));
        args.rejectUnknown();
        if (secret == null) {
            throw new IllegalArgumentException("--secret is required");
        }
        // As Tern's launcher does, so what is measured is what ships.
        RelayProcessDefaults.disableLeakDetectionUnlessConfigured();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        SimpleProviderContext context = new SimpleProviderContext("bench", Clock.systemUTC(), scheduler,
                HttpClient.newHttpClient(), MetricsRecorder.NONE, SimpleProviderContext.Directories.of(Path.of(".")));
        CredentialIssuer issuer = new RestCredentialsProvider().create(
                RestCredentialsConfig.of(List.of(Secret.of(secret)), List.of()), context);
        RelayConfig config = RelayConfig.builder("bench")
                .listen("udp://127.0.0.1:" + port)
                .ports(ports)
                .allowedPeers("127.0.0.1")
                .userQuota(100_000)
                .maxAllocationsPerSource(100_000)
                .threads(threads)
                .dataPlane(dataPlane)
                // uclient-compare.sh drives it with coturn's turnutils_uclient, which binds channels up to 0x7FFF.
                .channelNumbers(ChannelNumbers.COTURN)
                .build();
        EventLoops transport = EventLoops.detect();
        NettyRelayServer server = new NettyRelayServer(config,
                context.forRelay(issuer.verifier().orElseThrow(), PolicyEvaluator.PERMISSIVE), transport);
        server.start().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
        System.out.println("READY " + server.listenAddresses().get(0).getHostString() + ":"
                + server.listenAddresses().get(0).getPort() + " transport=" + transport.name());
        System.out.flush();
        try (java.io.BufferedReader in = new java.io.BufferedReader(
                new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.US_ASCII))) {
            // Runs until stdin closes; a "heap" line asks for the heap in use after a full GC.
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.trim().equals("heap")) {
                    System.out.println("HEAP " + heapUsedAfterGc());
                    System.out.flush();
                }
            }
        } finally {
            server.stop().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
            issuer.close();
            scheduler.shutdownNow();
        }
    }
}
