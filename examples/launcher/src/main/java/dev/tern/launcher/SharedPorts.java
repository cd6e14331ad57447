package dev.tern.launcher;

import dev.tern.config.TernConfig;
import dev.tern.relay.ListenEndpoint;
import dev.tern.relay.RelayConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The relay's listeners whose port HTTP shares ({@code tls+https://}, {@code tcp+http://}), read from the bound
 * config: {@code check-config} explains what each serves, and both it and {@code serve} refuse one without a
 * {@code matrix} section (nothing would answer its HTTP). Stateless.
 */
final class SharedPorts {

    private SharedPorts() {
    }

    /** A shared listener: its key path, like {@code relay.listen[1]}, and its endpoint. */
    record SharedPort(String key, ListenEndpoint endpoint) {
    }

    /** The relay's shared listeners, in config order (none without a {@code netty} relay). */
    static List<SharedPort> of(TernConfig config) {
        List<SharedPort> out = new ArrayList<>();
        config.relay().map(r -> r.config()).filter(RelayConfig.class::isInstance).map(RelayConfig.class::cast)
                .ifPresent(relay -> {
                    List<ListenEndpoint> endpoints = relay.listenEndpoints();
                    for (int i = 0; i < endpoints.size(); i++) {
                        if (endpoints.get(i).scheme().sharedWithHttp()) {
                            out.add(new SharedPort("relay.listen[" + i + "]", endpoints.get(i)));
                        }
                    }
                });
        return out;
    }

    /**
     * Refuses a shared listener without a {@code matrix} section.
     *
     * @throws dev.tern.config.ConfigException naming the listener
     */
    static void check(TernConfig config) {
        List<SharedPort> shared = of(config);
        if (!shared.isEmpty() && config.matrix().isEmpty()) {
            throw config.problem(shared.get(0).key(), "'" + shared.get(0).endpoint() + "' shares its port with HTTP, "
                    + "but there is no matrix section to serve there (add one, or use tls:// for TURN alone)");
        }
    }

    /** One line per shared listener saying what it serves, for {@code check-config}. */
    static List<String> explain(TernConfig config, boolean adminToo) {
        List<String> lines = new ArrayList<>();
        for (SharedPort port : of(config)) {
            boolean tls = port.endpoint().scheme() == ListenEndpoint.Scheme.TLS_HTTPS;
            lines.add(port.key() + " " + port.endpoint() + " is one port for "
                    + (tls ? "TURN over TLS (ALPN stun.turn, or a STUN first message) and HTTPS (ALPN h2 or http/1.1, "
                            + "or a request line): TLS ends here, with relay.tls's certificate"
                            : "TURN over TCP and HTTP (by the first bytes; TLS ends at a proxy in front)")
                    + "; HTTP serves the Matrix endpoints (/_matrix/client/*/voip/turnServer, /.well-known/matrix/client)"
                    + (adminToo ? " and the admin routes (/metrics, /health, /admin)" : "") + " over HTTP/1.1 and HTTP/2");
        }
        return lines;
    }
}
