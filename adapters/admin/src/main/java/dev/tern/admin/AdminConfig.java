package dev.tern.admin;

import dev.tern.spi.Secret;
import dev.tern.guard.ListenerLimits;
import dev.tern.spi.InvalidSettingException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * The {@code metrics:} config section: where metrics, health and the admin page are served.
 *
 * <pre>
 * admin:
 *   enabled: true                    # default true
 *   listen: http://127.0.0.1:9090    # default; an IP literal or localhost
 *   token: ${TERN_ADMIN_TOKEN}       # required when listen is not a loopback address
 *   ready_timeout: 2s                # how long /health/ready waits for the policy (default 2s)
 *   connections: { max: 512, max_per_address: 128, header_timeout: 10s, idle_timeout: 60s }
 *   shared_port: false               # also serve these routes on the relay's tls+https:// port (token required)
 * </pre>
 *
 * <p>Immutable and thread-safe. Absent keys arrive as {@code null} and get the defaults above; a bad
 * value throws {@link InvalidSettingException} naming the key (the token is never repeated). A
 * non-loopback {@code listen} without a {@code token} is refused: metrics and allocations name users and
 * addresses, so they are never served to the network unprotected.
 *
 * @param enabled whether the admin server runs
 * @param listen {@code http://host:port}, host an IP literal or {@code localhost}, port 0 for any free port
 * @param token the bearer token required on {@code /metrics} and {@code /admin/api/*}; optional on loopback
 * @param readyTimeout how long the readiness check waits for the server-wide policy decision
 * @param connections the caps and deadlines of the admin port ({@link ListenerLimits}; each key has a default)
 * @param sharedPort whether the launcher also serves metrics, health and the admin page on the relay's port shared
 *     with HTTP ({@code tls+https://}, {@code tcp+http://}; default false); that port is public, so a {@code token}
 *     is required
 */
public record AdminConfig(Boolean enabled, String listen, Secret token, Duration readyTimeout,
        ListenerLimits connections, Boolean sharedPort) {

    /** The default listen address. */
    public static final String DEFAULT_LISTEN = "http://127.0.0.1:9090";

    private static final int MIN_TOKEN_BYTES = 16;

    public AdminConfig {
        enabled = enabled == null || enabled;
        listen = listen == null ? DEFAULT_LISTEN : listen.strip();
        readyTimeout = readyTimeout == null ? Duration.ofSeconds(2) : readyTimeout;
        connections = connections == null ? ListenerLimits.DEFAULT : connections;
        sharedPort = sharedPort != null && sharedPort;
        if (readyTimeout.isNegative() || readyTimeout.isZero() || readyTimeout.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new InvalidSettingException("ready_timeout", "must be between 1ms and 1m, like 2s");
        }
        if (token != null && token.byteLength() < MIN_TOKEN_BYTES) {
            throw new InvalidSettingException("token",
                    "is too short: use at least " + MIN_TOKEN_BYTES + " random characters (openssl rand -hex 32)");
        }
        if (sharedPort && token == null) {
            throw new InvalidSettingException("token", "is required with shared_port: true (the port the relay shares "
                    + "with HTTP is public)");
        }
        InetSocketAddress address = parseListen(listen);
        if (!address.getAddress().isLoopbackAddress() && token == null) {
            throw new InvalidSettingException("token", "is required when listen (" + listen
                    + ") is not a loopback address: set a token, or listen on http://127.0.0.1:PORT");
        }
    }

    /** The defaults: enabled, on {@value #DEFAULT_LISTEN}, no token. */
    public static AdminConfig defaults() {
        return new AdminConfig(null, null, null, null, null, null);
    }

    /** A config listening on {@code listen}, with an optional token and every other key at its default. */
    public static AdminConfig of(String listen, Secret token) {
        return new AdminConfig(null, listen, token, null, null, null);
    }

    /** The socket address {@link #listen()} names. */
    public InetSocketAddress listenAddress() {
        return parseListen(listen);
    }

    private static InetSocketAddress parseListen(String listen) {
        URI uri;
        try {
            uri = new URI(listen);
        } catch (URISyntaxException e) {
            throw new InvalidSettingException("listen", "is not a URI; expected http://HOST:PORT, like " + DEFAULT_LISTEN);
        }
        if ("https".equalsIgnoreCase(uri.getScheme())) {
            throw new InvalidSettingException("listen",
                    "https is not served by Tern: listen on http and put a TLS reverse proxy in front");
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 0) {
            throw new InvalidSettingException("listen", "must be http://HOST:PORT, like " + DEFAULT_LISTEN);
        }
        if ((uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/"))
                || uri.getQuery() != null || uri.getUserInfo() != null) {
            throw new InvalidSettingException("listen", "must be http://HOST:PORT with no path, query or user");
        }
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (!host.equalsIgnoreCase("localhost") && !isIpLiteral(host)) {
            throw new InvalidSettingException("listen",
                    "host must be an IP address or localhost (names are not resolved), like " + DEFAULT_LISTEN);
        }
        try {
            InetAddress address = host.equalsIgnoreCase("localhost") ? InetAddress.getLoopbackAddress()
                    : InetAddress.getByName(host);
            return new InetSocketAddress(address, uri.getPort());
        } catch (UnknownHostException e) {
            throw new InvalidSettingException("listen", "host is not a valid IP address");
        }
    }

    private static boolean isIpLiteral(String host) {
        return host.matches("[0-9.]+") && host.chars().filter(c -> c == '.').count() == 3
                || host.contains(":") && host.matches("[0-9a-fA-F:.]+");
    }
}
