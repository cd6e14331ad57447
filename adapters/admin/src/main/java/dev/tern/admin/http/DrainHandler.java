package dev.tern.admin.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.tern.admin.RelayDrain;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /admin/api/drain}: starts the host's drain for a rolling restart and answers 202 with
 * {@code {"status": "draining", "deadline": "<ISO-8601 instant>"}} (again with the same deadline when already
 * draining); 405 for another method; 404 when the host runs no drain (an embedding application drains its relay
 * itself). Behind the admin token like the rest of the API.
 *
 * <p>Thread-safe.
 */
public final class DrainHandler implements HttpHandler {

    private final Optional<RelayDrain> drain;

    public DrainHandler(Optional<RelayDrain> drain) {
        this.drain = drain;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestURI().getPath().equals("/admin/api/drain") || drain.isEmpty()) {
            Responses.text(exchange, 404, drain.isEmpty() ? "this host runs no drain (tern serve does)\n" : "not found\n");
            return;
        }
        if (!exchange.getRequestMethod().equals("POST")) {
            exchange.getResponseHeaders().set("Allow", "POST");
            Responses.text(exchange, 405, "method not allowed: POST starts the drain\n");
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "draining");
        body.put("deadline", drain.get().start().toString());
        Responses.json(exchange, 202, body);
    }
}
