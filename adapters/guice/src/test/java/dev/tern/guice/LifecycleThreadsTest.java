package dev.tern.guice;

import dev.tern.spi.MetricsRecorder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Injector;
import com.sun.net.httpserver.HttpServer;
import dev.tern.api.Tern;
import dev.tern.credentials.rest.RestCredentialIssuer;
import dev.tern.credentials.rest.RestCredentialsConfig;
import dev.tern.host.ConfiguredPolicySource;
import dev.tern.host.SimpleProviderContext;
import dev.tern.matrix.http.MatrixConfig;
import dev.tern.matrix.http.MatrixEndpoints;
import dev.tern.policy.PolicyEngine;
import dev.tern.policy.wellknown.WellKnownPolicySourceProvider;
import dev.tern.policy.wellknown.WellKnownSourceConfig;
import dev.tern.relay.NettyRelayProvider;
import dev.tern.relay.RelayConfig;
import dev.tern.relay.plane.DataPlaneMode;
import dev.tern.spi.AccessTokenVerifier;
import dev.tern.spi.PolicyEvaluator;
import dev.tern.spi.PolicySourceSettings;
import dev.tern.spi.Secret;
import dev.tern.spi.TokenResult;
import dev.tern.spi.TurnPolicy;
import dev.tern.config.ConfigLoader;
import dev.tern.config.TernConfig;
import dev.tern.spi.RelayServer;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Netty relay and {@code rest} issuer under {@link TernLifecycle}: a start that cannot bind fails with
 * the address named and leaves no thread, a second start then works, and {@code stop()} leaves no thread that
 * was not there before the injector was made (the JDK's HTTP client selector, the JDK's delay scheduler, pool
 * workers and event loops included), also once the HTTP client fetched a well-known document from a real server.
 * The same holds on the README's plain-Java path, stopped as the README says.
 */
class LifecycleThreadsTest {

    private static final long SETTLE_MILLIS = 10_000;

    @TempDir
    Path dir;

    private TernConfig config(int relayPort) throws IOException {
        return config(relayPort, "");
    }

    private TernConfig config(int relayPort, String policy) throws IOException {
        Path file = dir.resolve("tern.yaml");
        Files.writeString(file, """
                server_name: example.org
                credentials: { type: rest, secrets: ["a-secret-of-some-length-0123456789"] }
                %s
                relay:
                  type: netty
                  realm: example.org
                  listen: ["udp://127.0.0.1:%d"]
                  threads: 2
                  data_plane: user
                """.formatted(policy, relayPort));
        return ConfigLoader.standard().load(file);
    }

    @Test
    void stopLeavesNoThreadThatStartMade() throws Exception {
        Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
        Injector injector = TernInjector.create(config(0));
        TernLifecycle lifecycle = injector.getInstance(TernLifecycle.class);
        lifecycle.start();
        RelayServer relay = injector.getInstance(RelayServer.class);
        assertFalse(relay.listenAddresses().isEmpty());
        assertFalse(newThreads(before).isEmpty(), "the relay runs event loops while started");
        lifecycle.stop();
        assertNoNewThreads(before);
    }

    @Test
    void stopLeavesNoThreadOfTheHttpClientThatFetchedAWellKnown() throws Exception {
        Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
        AtomicInteger fetches = new AtomicInteger();
        HttpServer upstream = wellKnownServer(fetches);
        try {
            Injector injector = TernInjector.create(config(0, """
                    policy:
                      sources:
                        - type: well-known
                          name: upstream-flag
                          url: "http://127.0.0.1:%d/.well-known/matrix/client"
                    """.formatted(upstream.getAddress().getPort())));
            TernLifecycle lifecycle = injector.getInstance(TernLifecycle.class);
            lifecycle.start();
            assertTrue(injector.getInstance(PolicyEvaluator.class).decideServerWide().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS).forceRelay(), "the upstream's flag was fetched over HTTP");
            assertEquals(1, fetches.get());
            assertTrue(newThreads(before).stream().anyMatch(n -> n.endsWith("-SelectorManager")),
                    "the JDK HTTP client runs its selector thread: " + newThreads(before));
            lifecycle.stop();
        } finally {
            upstream.stop(0);
        }
        assertNoNewThreads(before);
    }

    /**
     * The README's plain-Java path (issuer, policy engine, Netty relay, {@link Tern}, Matrix endpoints over one
     * {@link SimpleProviderContext#of} context) with a well-known policy source fetching from a real server:
     * closing the facade, then the context, then the host's scheduler leaves no thread, the HTTP client's
     * selector and executor included (the context owns the client it made; #21.4).
     */
    @Test
    void thePlainJavaPathStoppedAsTheReadmeSaysLeavesNoThreadOfTheHttpClientItMade() throws Exception {
        Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
        AtomicInteger fetches = new AtomicInteger();
        HttpServer upstream = wellKnownServer(fetches);
        try {
            ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
            SimpleProviderContext context = SimpleProviderContext.of("example.org", scheduler, dir);
            RestCredentialIssuer issuer = RestCredentialIssuer.create(RestCredentialsConfig.of(
                    List.of(Secret.of("a-secret-of-some-length-0123456789")),
                    List.of("turn:turn.example.org:3478?transport=udp")), context);
            PolicyEngine policy = new PolicyEngine(TurnPolicy.builder().forceRelay(false).build(), List.of(
                    new ConfiguredPolicySource(new PolicySourceSettings("upstream-flag", null, null),
                            new WellKnownPolicySourceProvider().create(WellKnownSourceConfig.builder()
                                    .url("http://127.0.0.1:" + upstream.getAddress().getPort()
                                            + "/.well-known/matrix/client").build(), context))),
                    context.clock(), scheduler, MetricsRecorder.NONE);
            // the user plane, as the injector tests' config: the kernel plane's probe starts JVM-wide threads (JNA's
            // cleaner, the JDK's process reaper) that no stop() can end
            var relay = new NettyRelayProvider().create(RelayConfig.builder("example.org")
                    .listen("udp://127.0.0.1:0").dataPlane(DataPlaneMode.USER).build(),
                    context.forRelay(issuer.verifier().orElseThrow(), policy));
            relay.start().toCompletableFuture().get(10, TimeUnit.SECONDS);
            Tern tern = Tern.builder().issuer(issuer).policy(policy).relay(relay).build();
            MatrixEndpoints.create(MatrixConfig.withWellKnown(
                    Map.of("m.homeserver", Map.of("base_url", "https://matrix.example.org"))), tern,
                    AccessTokenVerifier.fromLookup(token -> Optional.<TokenResult.Valid>empty()), context);

            assertEquals(Map.of(Tern.FORCE_TURN_KEY, true),
                    tern.wellKnownFragment().toCompletableFuture().get(10, TimeUnit.SECONDS),
                    "the upstream's flag was fetched over HTTP");
            assertEquals(1, fetches.get());
            assertTrue(newThreads(before).stream().anyMatch(n -> n.endsWith("-SelectorManager")),
                    "the JDK HTTP client runs its selector thread: " + newThreads(before));

            tern.close();
            context.close();
            scheduler.shutdownNow();
        } finally {
            upstream.stop(0);
        }
        assertNoNewThreads(before);
    }

    private static HttpServer wellKnownServer(AtomicInteger fetches) throws IOException {
        HttpServer upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        upstream.createContext("/.well-known/matrix/client", exchange -> {
            fetches.incrementAndGet();
            byte[] body = "{\"im.vector.riot.forceTurn\": true}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        upstream.start();
        return upstream;
    }

    @Test
    void aStartThatCannotBindNamesTheAddressLeavesNoThreadAndCanBeRetried() throws Exception {
        Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
        DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        int port = taken.getLocalPort();
        Injector injector = TernInjector.create(config(port));
        TernLifecycle lifecycle;
        try {
            lifecycle = injector.getInstance(TernLifecycle.class);
            IllegalStateException e = assertThrows(IllegalStateException.class, lifecycle::start);
            assertEquals("Could not start the relay: udp://127.0.0.1:" + port + ": address already in use",
                    e.getMessage());
            // The failure is reported once the event loops have terminated; a thread may take a moment to exit.
            long deadline = System.currentTimeMillis() + 1_000;
            while (!relayThreads(newThreads(before)).isEmpty() && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(relayThreads(newThreads(before)).isEmpty(),
                    "no event loop stays after a failed start: " + newThreads(before));
        } finally {
            taken.close();
        }
        lifecycle.start(); // the port is free now: the same lifecycle starts
        RelayServer relay = injector.getInstance(RelayServer.class);
        assertEquals(port, relay.listenAddresses().get(0).getPort());
        lifecycle.stop();
        assertNoNewThreads(before);
    }

    private static Set<String> relayThreads(Set<String> names) {
        return names.stream().filter(n -> n.startsWith("tern-relay")).collect(Collectors.toSet());
    }

    private static Set<String> newThreads(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t) && t.isAlive())
                .map(Thread::getName).collect(Collectors.toSet());
    }

    /** Threads end asynchronously after shutdown (Netty's quiet period): wait, bounded, for them to go. */
    private static void assertNoNewThreads(Set<Thread> before) throws InterruptedException {
        long deadline = System.currentTimeMillis() + SETTLE_MILLIS;
        Set<String> left = newThreads(before);
        while (!left.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            left = newThreads(before);
        }
        assertTrue(left.isEmpty(), "threads left after stop(): " + left);
    }
}
