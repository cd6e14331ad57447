package dev.tern.matrix.jdk;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.tern.matrix.http.MatrixEndpoints;
import dev.tern.matrix.http.MatrixRequest;
import dev.tern.matrix.http.MatrixResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The binding for the JDK's {@code com.sun.net.httpserver}: register it for {@code /} (or for
 * {@code /_matrix/client/} and {@code /.well-known/matrix/}). {@link #handle} returns at once; the answer is
 * written from whichever thread completes it.
 *
 * <p>Thread-safe (one instance serves every exchange).
 *
 * <p>Connections are the host's {@code HttpServer}'s: {@code matrix.connections} (caps, header deadline, idle timeout) applies
 * only to {@link dev.tern.matrix.netty.MatrixHttpServer}; set the equivalent limits on the host's server. The
 * lines a client can cause are throttled here as in every binding (they are logged by {@code MatrixEndpoints}).
 */
public final class MatrixExchangeHandler implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(MatrixExchangeHandler.class);

    private final MatrixEndpoints endpoints;

    public MatrixExchangeHandler(MatrixEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    @Override
    public void handle(HttpExchange exchange) {
        URI uri = exchange.getRequestURI();
        MatrixRequest request = new MatrixRequest(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(),
                Map.copyOf(exchange.getRequestHeaders()), exchange.getRemoteAddress().getAddress());
        endpoints.handle(request).thenAccept(answer -> write(exchange, request, answer));
    }

    private static void write(HttpExchange exchange, MatrixRequest request, MatrixResponse answer) {
        try (exchange; OutputStream body = exchange.getResponseBody()) {
            answer.headers().forEach(exchange.getResponseHeaders()::set);
            exchange.sendResponseHeaders(answer.status(), answer.bodyLength() == 0 ? -1 : answer.bodyLength());
            body.write(answer.body());
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not write the answer to {}: {}", request, e.getClass().getSimpleName());
        }
    }
}
