package dev.tern.examples.homeserver;

import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tern.config.ConfigLoader;
import dev.tern.config.TernConfig;
import dev.tern.guice.TernInjector;
import dev.tern.guice.TernLifecycle;
import dev.tern.matrix.http.MatrixEndpoints;
import dev.tern.matrix.jdk.MatrixExchangeHandler;
import dev.tern.relay.RelayProcessDefaults;
import dev.tern.spi.RelayServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A minimal "homeserver" on the JDK's HTTP server that embeds Tern: Tern's Guice module builds the
 * credential issuer, policy and the in-process relay from {@code tern.yaml}; the homeserver overrides the
 * wiring with its own access-token check ({@link Sessions#lookup}) and mounts Tern's Matrix endpoints
 * ({@code /voip/turnServer}, {@code /.well-known/matrix/client}) next to its own routes.
 *
 * <p>Thread-safe. {@link #start} binds and starts everything; {@link #close} drains and stops it.
 * A bad config is a {@link dev.tern.config.ConfigException} naming the file, key and line.
 */
public final class EmbeddedHomeserver implements AutoCloseable {

    private final Sessions sessions;
    private final TernLifecycle lifecycle;
    private final Injector injector;
    private final HttpServer http;
    private final ExecutorService executor;

    private EmbeddedHomeserver(Sessions sessions, TernLifecycle lifecycle, Injector injector, HttpServer http,
            ExecutorService executor) {
        this.sessions = sessions;
        this.lifecycle = lifecycle;
        this.injector = injector;
        this.http = http;
        this.executor = executor;
    }

    /**
     * Loads {@code ternConfig}, starts the relay and serves HTTP on {@code listen}.
     *
     * @throws IOException when the HTTP address cannot be bound
     */
    public static EmbeddedHomeserver start(Path ternConfig, InetSocketAddress listen, Sessions sessions)
            throws IOException {
        TernConfig config = ConfigLoader.standard().load(ternConfig);
        if (config.matrix().isEmpty()) {
            throw config.problem("matrix", "is required: the homeserver serves Tern's Matrix endpoints (give at "
                    + "least well_known)");
        }
        Injector injector = TernInjector.create(config, new HomeserverTernModule(sessions::lookup));
        TernLifecycle lifecycle = injector.getInstance(TernLifecycle.class);
        lifecycle.start();
        ExecutorService executor = Executors.newFixedThreadPool(4);
        try {
            HttpServer http = HttpServer.create(listen, 64);
            MatrixExchangeHandler tern = new MatrixExchangeHandler(injector.getInstance(MatrixEndpoints.class));
            http.createContext("/_matrix/client/", exchange -> route(exchange, tern));
            http.createContext("/.well-known/matrix/", tern);
            http.setExecutor(executor);
            http.start();
            return new EmbeddedHomeserver(sessions, lifecycle, injector, http, executor);
        } catch (IOException | RuntimeException e) {
            executor.shutdownNow();
            lifecycle.stop();
            throw e;
        }
    }

    // The homeserver's own routes first; Tern answers the rest of /_matrix/client (turnServer, or 404).
    private static void route(HttpExchange exchange, MatrixExchangeHandler tern) throws IOException {
        if (exchange.getRequestURI().getPath().equals("/_matrix/client/versions")) {
            byte[] body = "{\"versions\":[\"v1.12\"]}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
            return;
        }
        tern.handle(exchange);
    }

    /** The Matrix server name, {@code server_name} in {@code tern.yaml}. */
    public String serverName() {
        return injector.getInstance(TernConfig.class).serverName();
    }

    /** The homeserver's sessions. */
    public Sessions sessions() {
        return sessions;
    }

    /** The HTTP address (with the real port when 0 was asked). */
    public InetSocketAddress httpAddress() {
        return http.getAddress();
    }

    /** Where the in-process relay listens. */
    public List<InetSocketAddress> relayAddresses() {
        return injector.getInstance(Key.get(new TypeLiteral<Optional<RelayServer>>() { }))
                .map(RelayServer::listenAddresses).orElse(List.of());
    }

    /** Stops HTTP, lets relayed calls end for up to a second, and stops Tern. */
    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
        lifecycle.drainAndStop(Duration.ofSeconds(1));
    }

    /** {@code EmbeddedHomeserver tern.yaml [port]}: runs until killed, printing a token for {@code @alice}. */
    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: EmbeddedHomeserver tern.yaml [http-port]");
            System.exit(2);
        }
        int port = args.length == 2 ? Integer.parseInt(args[1]) : 8008;
        // This main owns the process and relays media in it, so it picks Netty's process-wide settings
        // (start() does not: a homeserver embedding Tern in a larger process decides for that process).
        RelayProcessDefaults.disableLeakDetectionUnlessConfigured();
        EmbeddedHomeserver server = start(Path.of(args[0]), new InetSocketAddress("127.0.0.1", port), new Sessions());
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        String token = server.sessions().login("@alice:" + server.serverName(), false);
        System.out.println("Homeserver on http://127.0.0.1:" + server.httpAddress().getPort() + "; try: curl -H "
                + "'Authorization: Bearer " + token + "' http://127.0.0.1:" + server.httpAddress().getPort()
                + "/_matrix/client/v3/voip/turnServer");
    }
}
