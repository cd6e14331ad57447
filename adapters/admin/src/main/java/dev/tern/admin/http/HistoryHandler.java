package dev.tern.admin.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.tern.admin.history.RelayHistory;
import dev.tern.spi.RelayStatus;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /admin/api/history}: the admin page's charts and fleet table as JSON, from a {@link RelayHistory}:
 * <pre>
 * {"interval_seconds": 5, "window_seconds": 900,
 *  "relays": [{"relay_id": "relay-1", "samples": [{"at": "2026-...Z", "allocations": 3, "bits_per_second": 64000}]}],
 *  "fleet": [{"relay_id": "relay-1", "uris": ["turn:..."], "data_plane": "user", "allocations": 3,
 *             "bits_per_second": 64000, "draining": false, "last_seen": "2026-...Z"}]}
 * </pre>
 * It names relays and their addresses, so the server puts it behind the admin token when one is set. Thread-safe.
 */
public final class HistoryHandler implements HttpHandler {

    private final RelayHistory history;

    public HistoryHandler(RelayHistory history) {
        this.history = history;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestURI().getPath().equals("/admin/api/history")) {
            Responses.text(exchange, 404, "not found\n");
            return;
        }
        if (!Responses.requireGet(exchange)) {
            return;
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("interval_seconds", history.interval().toSeconds());
        json.put("window_seconds", history.window().toSeconds());
        json.put("relays", history.series().entrySet().stream().map(e -> Map.of("relay_id", e.getKey(),
                "samples", e.getValue().stream().map(s -> Map.of("at", s.at().toString(),
                        "allocations", s.allocations(), "bits_per_second", s.bitsPerSecond())).toList())).toList());
        json.put("fleet", history.latest().stream().map(HistoryHandler::row).toList());
        Responses.json(exchange, 200, json);
    }

    private static Map<String, Object> row(RelayStatus r) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("relay_id", r.relayId());
        row.put("uris", r.uris().stream().map(URI::toString).toList());
        row.put("data_plane", r.dataPlane());
        row.put("allocations", r.load().allocations());
        row.put("bits_per_second", r.load().relayedBitsPerSecond());
        row.put("draining", r.draining());
        row.put("last_seen", r.seenAt().toString());
        return row;
    }
}
