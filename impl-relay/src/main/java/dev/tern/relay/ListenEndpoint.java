package dev.tern.relay;

import dev.tern.spi.Transport;
import dev.tern.spi.InvalidSettingException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;

/**
 * One {@code listen:} entry: {@code udp://host:port}, {@code tcp://host:port}, {@code tls://host:port},
 * or {@code tls+tcp://host:port} (TLS and plain TCP on one port, told apart by the first byte a client
 * sends, as coturn does), and the ports TURN shares with HTTP: {@code tls+https://host:port} (TLS terminated
 * once, then TURN or HTTPS by ALPN or by the first bytes) and {@code tcp+http://host:port} (the same without
 * TLS, for a proxy that terminates it). Hosts are IP literals, IPv6 in brackets.
 *
 * <p>Immutable and thread-safe. {@link #parse} throws {@link InvalidSettingException} for a bad entry.
 *
 * @param scheme how clients reach this listener
 * @param address where it listens (port 0 picks a free one)
 */
public record ListenEndpoint(Scheme scheme, InetSocketAddress address) {

    /** The listener kinds. */
    public enum Scheme {
        /** TURN over UDP. */
        UDP("udp"),
        /** TURN over plain TCP. */
        TCP("tcp"),
        /** TURN over TLS. */
        TLS("tls"),
        /** TLS or plain TCP on one port, decided by the first byte (0x16 starts a TLS handshake). */
        TLS_OR_TCP("tls+tcp"),
        /** TLS, then TURN or HTTPS (HTTP/1.1, HTTP/2) on one port: see {@code dev.tern.relay.shared}. */
        TLS_HTTPS("tls+https"),
        /** Plain TCP, then TURN or HTTP on one port (TLS terminated by a proxy in front). */
        TCP_HTTP("tcp+http");

        private final String text;

        Scheme(String text) {
            this.text = text;
        }

        /** The scheme as written in config. */
        public String text() {
            return text;
        }

        /** Whether connections of this listener may use TLS (so a certificate is needed). */
        public boolean tls() {
            return this == TLS || this == TLS_OR_TCP || this == TLS_HTTPS;
        }

        /** Whether HTTP shares this listener's port with TURN. */
        public boolean sharedWithHttp() {
            return this == TLS_HTTPS || this == TCP_HTTP;
        }

        /** Whether this is a stream (TCP) listener. */
        public boolean stream() {
            return this != UDP;
        }
    }

    /** The transport allocations made through a connection of this listener report. */
    public Transport transport(boolean encrypted) {
        return scheme == Scheme.UDP ? Transport.UDP : encrypted ? Transport.TLS : Transport.TCP;
    }

    /** Parses an entry; {@code key} names it in errors, like {@code listen[0]}. */
    public static ListenEndpoint parse(String key, String entry) {
        String example = "is not like udp://0.0.0.0:3478, tcp://[::]:3478, tls://0.0.0.0:5349, tls+tcp://0.0.0.0:443, "
                + "tls+https://0.0.0.0:443 or tcp+http://127.0.0.1:8443";
        URI uri;
        try {
            uri = new URI(entry);
        } catch (URISyntaxException e) {
            throw new InvalidSettingException(key, "'" + entry + "' " + example);
        }
        Scheme scheme = null;
        for (Scheme s : Scheme.values()) {
            if (s.text.equals(uri.getScheme())) {
                scheme = s;
            }
        }
        if (scheme == null || uri.getHost() == null || uri.getPort() < 0
                || uri.getPath() != null && !uri.getPath().isEmpty()) {
            throw new InvalidSettingException(key, "'" + entry + "' " + example);
        }
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new ListenEndpoint(scheme, new InetSocketAddress(literal(key, host), uri.getPort()));
    }

    /** Parses an IP address literal (never a host name: no DNS lookups while binding config). */
    static InetAddress literal(String key, String text) {
        String t = text.trim();
        boolean looksLiteral = !t.isEmpty() && (Character.digit(t.charAt(0), 16) >= 0 || t.charAt(0) == ':')
                && t.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':');
        if (!looksLiteral) {
            throw new InvalidSettingException(key, "'" + text + "' is not an IP address literal");
        }
        try {
            return InetAddress.getByName(t);
        } catch (UnknownHostException e) {
            throw new InvalidSettingException(key, "'" + text + "' is not an IP address literal");
        }
    }

    @Override
    public String toString() {
        String host = address.getAddress().getHostAddress();
        return scheme.text + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
