package dev.tern.spi;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * A {@code turn:} or {@code turns:} URI as RFC 7065 defines it and as {@code /voip/turnServer}
 * publishes it: {@code turn:turn.example.org:3478?transport=udp}, {@code turns:[2001:db8::1]:443?transport=tcp}.
 *
 * <p>Immutable and thread-safe. {@link #parse(String)} accepts only what WebRTC clients accept and
 * refuses everything else with an {@link IllegalArgumentException} whose message quotes the URI and
 * says what was expected. {@link #toString()} gives the URI back in canonical form (lower-case scheme
 * and transport).
 *
 * @param secure {@code true} for {@code turns:} (TURN over TLS), {@code false} for {@code turn:}
 * @param host a DNS name, an IPv4 address, or an IPv6 address without brackets
 * @param port the port if the URI gives one
 * @param transport the {@code ?transport=} parameter if given: {@link Transport#UDP} or {@link Transport#TCP}
 */
public record TurnUri(boolean secure, String host, OptionalInt port, Optional<Transport> transport) {

    /** The default port of {@code turn:} URIs. */
    public static final int DEFAULT_PORT = 3478;
    /** The default port of {@code turns:} URIs. */
    public static final int DEFAULT_SECURE_PORT = 5349;

    private static final Pattern DNS_OR_IPV4 = Pattern.compile(
            "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    public TurnUri {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(transport, "transport");
        if (!isValidHost(host)) {
            throw new IllegalArgumentException("'" + host + "' is not a host name or IP address");
        }
        if (port.isPresent() && (port.getAsInt() < 1 || port.getAsInt() > 65535)) {
            throw new IllegalArgumentException("port " + port.getAsInt() + " is not between 1 and 65535");
        }
        if (transport.isPresent() && transport.get() == Transport.TLS) {
            throw new IllegalArgumentException("transport is udp or tcp; TLS is the turns: scheme");
        }
        if (secure && transport.orElse(Transport.TCP) == Transport.UDP) {
            throw new IllegalArgumentException("turns: with transport=udp (DTLS) is not supported by WebRTC "
                    + "clients; use turns:...?transport=tcp");
        }
    }

    /**
     * Parses a TURN URI.
     *
     * @throws IllegalArgumentException quoting the text and saying what is wrong (never for a null, which
     *     gives {@link NullPointerException})
     */
    public static TurnUri parse(String text) {
        Objects.requireNonNull(text, "text");
        try {
            return parseUnquoted(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a TURN URI: " + e.getMessage()
                    + " (expected turn:host[:port][?transport=udp|tcp] or turns:host[:port][?transport=tcp])");
        }
    }

    private static TurnUri parseUnquoted(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("no scheme");
        }
        String scheme = text.substring(0, colon).toLowerCase(Locale.ROOT);
        boolean secure;
        if (scheme.equals("turn")) {
            secure = false;
        } else if (scheme.equals("turns")) {
            secure = true;
        } else {
            throw new IllegalArgumentException("the scheme must be turn or turns, not '" + scheme + "'");
        }
        String rest = text.substring(colon + 1);
        if (rest.startsWith("//")) {
            throw new IllegalArgumentException("TURN URIs have no '//' (write " + scheme + ":host:port)");
        }
        Optional<Transport> transport = Optional.empty();
        int question = rest.indexOf('?');
        if (question >= 0) {
            transport = Optional.of(parseQuery(rest.substring(question + 1)));
            rest = rest.substring(0, question);
        }
        String host;
        String portText = null;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("an IPv6 address needs a closing ']'");
            }
            host = rest.substring(1, close);
            if (!IPV6.matcher(host).matches() || host.indexOf(':') < 0) {
                throw new IllegalArgumentException("'" + host + "' is not an IPv6 address");
            }
            String after = rest.substring(close + 1);
            if (!after.isEmpty()) {
                if (after.charAt(0) != ':') {
                    throw new IllegalArgumentException("unexpected text after the IPv6 address");
                }
                portText = after.substring(1);
            }
        } else {
            int portColon = rest.lastIndexOf(':');
            if (portColon >= 0) {
                host = rest.substring(0, portColon);
                portText = rest.substring(portColon + 1);
            } else {
                host = rest;
            }
            if (host.isEmpty()) {
                throw new IllegalArgumentException("no host");
            }
            if (host.indexOf(':') >= 0) {
                throw new IllegalArgumentException("an IPv6 address must be written in brackets, like [2001:db8::1]");
            }
        }
        OptionalInt port = OptionalInt.empty();
        if (portText != null) {
            if (portText.isEmpty() || portText.length() > 5 || !portText.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("the port must be a number between 1 and 65535");
            }
            port = OptionalInt.of(Integer.parseInt(portText));
        }
        return new TurnUri(secure, host, port, transport);
    }

    private static Transport parseQuery(String query) {
        String lower = query.toLowerCase(Locale.ROOT);
        return switch (lower) {
            case "transport=udp" -> Transport.UDP;
            case "transport=tcp" -> Transport.TCP;
            default -> throw new IllegalArgumentException("the only parameter allowed is transport=udp or transport=tcp");
        };
    }

    private static boolean isValidHost(String host) {
        if (host.isEmpty() || host.length() > 253) {
            return false;
        }
        if (host.indexOf(':') >= 0) {
            return IPV6.matcher(host).matches();
        }
        return DNS_OR_IPV4.matcher(host).matches();
    }

    /** {@code turns} or {@code turn}. */
    public String scheme() {
        return secure ? "turns" : "turn";
    }

    /** The port to connect to: the given one, or 3478 for {@code turn:} and 5349 for {@code turns:}. */
    public int effectivePort() {
        return port.orElse(secure ? DEFAULT_SECURE_PORT : DEFAULT_PORT);
    }

    /**
     * How a client reaches the relay through this URI: {@link Transport#TLS} for {@code turns:},
     * {@link Transport#TCP} for {@code turn:...?transport=tcp}, {@link Transport#UDP} otherwise.
     */
    public Transport clientTransport() {
        if (secure) {
            return Transport.TLS;
        }
        return transport.orElse(Transport.UDP);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(scheme()).append(':');
        sb.append(host.indexOf(':') >= 0 ? "[" + host + "]" : host);
        port.ifPresent(p -> sb.append(':').append(p));
        transport.ifPresent(t -> sb.append("?transport=").append(t.configName()));
        return sb.toString();
    }
}
