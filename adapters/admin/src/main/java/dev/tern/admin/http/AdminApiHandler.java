package dev.tern.admin.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.tern.api.Tern;
import dev.tern.spi.AllocationView;
import dev.tern.spi.DataPlaneStatus;
import dev.tern.spi.RelayServer;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The admin page's JSON API: {@code GET /admin/api/allocations} (the relay's live allocations: user,
 * client, relayed address, peers, bytes each way, age) and {@code GET /admin/api/status} (relay
 * addresses, allocation count, the data plane running and what each plane carried, whether credentials are
 * configured, whether relaying is forced, uptime).
 * These name users and addresses, so the server puts them behind the admin token when one is set.
 *
 * <p>Thread-safe.
 */
public final class AdminApiHandler implements HttpHandler {

    private final Tern tern;
    private final Clock clock;
    private final Instant started;
    private final Duration policyTimeout;

    public AdminApiHandler(Tern tern, Clock clock, Duration policyTimeout) {
        this.tern = tern;
        this.clock = clock;
        this.started = clock.instant();
        this.policyTimeout = policyTimeout;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (!path.equals("/admin/api/allocations") && !path.equals("/admin/api/status")) {
            Responses.text(exchange, 404, "not found\n");
            return;
        }
        if (!Responses.requireGet(exchange)) {
            return;
        }
        Responses.json(exchange, 200, path.endsWith("/allocations") ? allocations() : status());
    }

    private List<Map<String, Object>> allocations() {
        Instant now = clock.instant();
        return tern.relay().map(RelayServer::allocations).orElse(List.of()).stream()
                .sorted(Comparator.comparing(a -> a.lifetime().createdAt()))
                .map(a -> allocation(a, now))
                .toList();
    }

    private static Map<String, Object> allocation(AllocationView a, Instant now) {
        Map<String, Object> json = new LinkedHashMap<>();
        AllocationView.Addresses addresses = a.addresses();
        json.put("user", a.owner().userId());
        json.put("username", a.owner().username());
        json.put("transport", addresses.transport().name().toLowerCase(java.util.Locale.ROOT));
        json.put("client", text(addresses.client()));
        json.put("relayed", text(addresses.relayed()));
        json.put("relayed_addresses", addresses.relayedAddresses().stream().map(AdminApiHandler::text).toList());
        json.put("peers", a.peers());
        json.put("bytes_to_peers", a.traffic().bytesToPeers());
        json.put("bytes_from_peers", a.traffic().bytesFromPeers());
        json.put("age_seconds", Math.max(0, Duration.between(a.lifetime().createdAt(), now).toSeconds()));
        json.put("expires_in_seconds", Math.max(0, Duration.between(now, a.lifetime().expiresAt()).toSeconds()));
        return json;
    }

    private Map<String, Object> status() {
        Map<String, Object> relay = new LinkedHashMap<>();
        relay.put("configured", tern.relay().isPresent());
        tern.relay().ifPresent(r -> {
            relay.put("listen", r.listenUris().stream().map(java.net.URI::toString).toList());
            relay.put("allocations", r.allocations().size());
            relay.put("data_plane", dataPlane(r.dataPlane()));
        });
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("relay", relay);
        json.put("credentials_configured", tern.issuer().isPresent());
        json.put("server_forces_relay", serverForcesRelay());
        json.put("uptime_seconds", Duration.between(started, clock.instant()).toSeconds());
        json.put("now", clock.instant().toString());
        return json;
    }

    /** Which plane forwards bound UDP channels, why, and what each plane carried (both directions). */
    private static Map<String, Object> dataPlane(DataPlaneStatus status) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("plane", status.plane().name().toLowerCase(java.util.Locale.ROOT));
        json.put("reason", status.reason());
        json.put("user", Map.of("packets", status.user().packets(), "bytes", status.user().bytes()));
        json.put("kernel", Map.of("packets", status.kernel().packets(), "bytes", status.kernel().bytes()));
        return json;
    }

    /** True or false, or null when the policy did not answer in time. */
    private Boolean serverForcesRelay() {
        try {
            return tern.serverForcesRelay().toCompletableFuture().get(policyTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            return null;
        }
    }

    static String text(InetSocketAddress address) {
        String host = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
        return (address.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
