package dev.tern.admin.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /health/live} (200 while the process serves HTTP) and {@code /health/ready} (also
 * {@code /health}: 200 when {@link ReadinessCheck} passes, with status {@code ready}, or {@code degraded}
 * naming a policy source that cannot answer or answers through a problem (a missing rules file); 503 with the failing check otherwise). Bodies
 * are small JSON objects with no addresses, users or secrets, so they may stay unauthenticated for load
 * balancers and orchestrators.
 *
 * <p>Thread-safe.
 */
public final class HealthHandler implements HttpHandler {

    private final ReadinessCheck readiness;

    public HealthHandler(ReadinessCheck readiness) {
        this.readiness = readiness;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (!path.equals("/health") && !path.equals("/health/ready") && !path.equals("/health/live")) {
            Responses.text(exchange, 404, "not found\n");
            return;
        }
        if (!Responses.requireGet(exchange)) {
            return;
        }
        if (path.equals("/health/live")) {
            Responses.json(exchange, 200, Map.of("status", "live"));
            return;
        }
        ReadinessCheck.Readiness result = readiness.check();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", result.status());
        body.put("checks", new java.util.TreeMap<>(result.checks()));
        Responses.json(exchange, result.ready() ? 200 : 503, body);
    }
}
