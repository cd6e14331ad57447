package dev.tern.admin.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.tern.admin.metrics.PrometheusMetrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * {@code GET /metrics}: every metric in the Prometheus text format.
 *
 * <p>Thread-safe.
 */
public final class MetricsHandler implements HttpHandler {

    private final PrometheusMetrics metrics;

    public MetricsHandler(PrometheusMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestURI().getPath().equals("/metrics")) {
            Responses.text(exchange, 404, "not found\n");
            return;
        }
        if (!Responses.requireGet(exchange)) {
            return;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(8192);
        metrics.writeTo(body);
        Responses.send(exchange, 200, PrometheusMetrics.contentType(), body.toByteArray());
    }
}
