package dev.tern.launcher.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tern.api.CredentialsOutcome;
import dev.tern.api.Subject;
import dev.tern.api.Tern;
import dev.tern.api.TurnCredentials;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The launcher's Matrix endpoints on the JDK's HTTP server: {@code GET
 * /_matrix/client/{v3,r0,api/v1,unstable}/voip/turnServer} and {@code GET /.well-known/matrix/client}
 * (with {@code im.vector.riot.forceTurn} when the server-wide policy forces relay), CORS and
 * {@code OPTIONS}, errors in Matrix form. It stands in until the tern-matrix-http module is wired here.
 *
 * <p>Thread-safe. Bad input (no token, unknown token, unknown path, wrong method) gets a Matrix error,
 * never a stack trace; no token or password is logged.
 */
public final class MatrixEndpoints implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MatrixEndpoints.class);
    private static final Pattern TURN_SERVER =
            Pattern.compile("/_matrix/client/(v3|r0|api/v1|unstable)/voip/turnServer/?");
    private static final String WELL_KNOWN = "/.well-known/matrix/client";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Tern tern;
    private final MatrixSection config;
    private final HttpServer server;
    private final ExecutorService executor;

    private MatrixEndpoints(Tern tern, MatrixSection config, HttpServer server, ExecutorService executor) {
        this.tern = tern;
        this.config = config;
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds {@code config.listen()} and starts serving.
     *
     * @throws IOException when the address cannot be bound
     */
    public static MatrixEndpoints start(Tern tern, MatrixSection config) throws IOException {
        Objects.requireNonNull(tern, "tern");
        HttpServer server = HttpServer.create(config.listenAddress(), 64);
        ExecutorService executor = Executors.newFixedThreadPool(4, task -> {
            Thread thread = new Thread(task, "tern-http");
            thread.setDaemon(true);
            return thread;
        });
        MatrixEndpoints endpoints = new MatrixEndpoints(tern, config, server, executor);
        server.createContext("/", endpoints::handle);
        server.setExecutor(executor);
        server.start();
        return endpoints;
    }

    /** The bound address (with the real port when 0 was asked). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            var headers = exchange.getResponseHeaders();
            headers.set("Access-Control-Allow-Origin", "*");
            headers.set("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS");
            headers.set("Access-Control-Allow-Headers", "X-Requested-With, Content-Type, Authorization");
            String path = exchange.getRequestURI().getPath();
            boolean turnServer = TURN_SERVER.matcher(path).matches();
            if (!turnServer && !path.equals(WELL_KNOWN)) {
                send(exchange, 404, error("M_UNRECOGNIZED", "Unrecognized request"));
                return;
            }
            String method = exchange.getRequestMethod();
            if (method.equals("OPTIONS")) {
                exchange.sendResponseHeaders(204, -1);
                return;
            }
            if (!method.equals("GET")) {
                send(exchange, 405, error("M_UNRECOGNIZED", "Unrecognized request"));
                return;
            }
            if (turnServer) {
                turnServer(exchange);
            } else {
                wellKnown(exchange);
            }
        } catch (RuntimeException e) {
            LOG.warn("Request failed: {}", e.toString());
        }
    }

    private void turnServer(HttpExchange exchange) throws IOException {
        Optional<String> token = accessToken(exchange);
        if (token.isEmpty()) {
            send(exchange, 401, error("M_MISSING_TOKEN", "Missing access token"));
            return;
        }
        String user = config.accessTokens().tokens().get(token.get());
        if (user == null) {
            send(exchange, 401, error("M_UNKNOWN_TOKEN", "Unknown access token"));
            return;
        }
        Subject subject = new Subject(user, config.accessTokens().guests().contains(user), Optional.empty(),
                Optional.of(exchange.getRemoteAddress().getAddress()));
        CredentialsOutcome outcome = await(tern.credentialsFor(subject).toCompletableFuture());
        if (outcome instanceof CredentialsOutcome.Issued issued) {
            TurnCredentials credentials = issued.credentials();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("username", credentials.username());
            body.put("password", credentials.password());
            body.put("uris", credentials.uris());
            body.put("ttl", credentials.ttl().toSeconds());
            send(exchange, 200, body);
        } else if (outcome instanceof CredentialsOutcome.Refused refused) {
            String code = refused.reason() == CredentialsOutcome.Reason.GUESTS_NOT_ALLOWED
                    ? "M_GUEST_ACCESS_FORBIDDEN" : "M_FORBIDDEN";
            send(exchange, 403, error(code, refused.message()));
        } else {
            send(exchange, 200, Map.of());
        }
    }

    private void wellKnown(HttpExchange exchange) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>(config.wellKnown());
        body.putAll(await(tern.wellKnownFragment().toCompletableFuture()));
        exchange.getResponseHeaders().set("Cache-Control", "public, max-age=60");
        send(exchange, 200, body);
    }

    private static Optional<String> accessToken(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of(authorization.substring(7).strip()).filter(t -> !t.isEmpty());
        }
        String query = exchange.getRequestURI().getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith("access_token=")) {
                    return Optional.of(URLDecoder.decode(pair.substring(13), StandardCharsets.UTF_8))
                            .filter(t -> !t.isEmpty());
                }
            }
        }
        return Optional.empty();
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> stage) {
        // Policy sources are bounded by their own timeouts; this only guards against a stuck stage.
        try {
            return stage.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("policy did not answer: " + e, e);
        }
    }

    private static Map<String, Object> error(String code, String message) {
        return Map.of("errcode", code, "error", message);
    }

    private static void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Stops accepting requests, lets running ones finish for up to a second, and releases the threads. */
    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
    }
}
