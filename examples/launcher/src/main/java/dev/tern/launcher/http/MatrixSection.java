package dev.tern.launcher.http;

import dev.tern.spi.InvalidSettingException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code matrix:} section as the launcher's own endpoints read it: where to listen, which access
 * tokens stand for which users, and the {@code /.well-known/matrix/client} content.
 *
 * <pre>{@code
 * matrix:
 *   listen: "http://127.0.0.1:8008"
 *   access_tokens: { type: static, tokens: { "tok": "@alice:example.org" }, guests: ["@guest1:example.org"] }
 *   well_known: { m.homeserver: { base_url: "https://matrix.example.org" } }
 * }</pre>
 *
 * <p>Immutable and thread-safe. A bad value throws {@link InvalidSettingException} naming the key.
 *
 * @param listen {@code http://host:port} to listen on (default {@code http://127.0.0.1:8008})
 * @param accessTokens how access tokens map to users (required)
 * @param wellKnown the well-known document; {@code m.homeserver.base_url} required (default: this
 *     server's own {@code listen} URL as base_url)
 */
public record MatrixSection(String listen, AccessTokens accessTokens, Map<String, Object> wellKnown) {

    public MatrixSection {
        listen = listen == null ? "http://127.0.0.1:8008" : listen;
        address(listen);
        if (accessTokens == null) {
            throw new InvalidSettingException("access_tokens", "is required, like {type: static, tokens: "
                    + "{\"tok\": \"@alice:example.org\"}}");
        }
        if (wellKnown == null) {
            wellKnown = Map.of("m.homeserver", Map.of("base_url", listen));
        } else if (!(wellKnown.get("m.homeserver") instanceof Map<?, ?> homeserver)
                || !(homeserver.get("base_url") instanceof String)) {
            throw new InvalidSettingException("well_known", "needs m.homeserver.base_url (the spec requires it), "
                    + "like {m.homeserver: {base_url: \"https://matrix.example.org\"}}");
        }
        wellKnown = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(wellKnown));
    }

    /** The address to bind. */
    public InetSocketAddress listenAddress() {
        return address(listen);
    }

    private static InetSocketAddress address(String text) {
        try {
            URI uri = new URI(text);
            if (!"http".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 0
                    || uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/")) {
                throw new URISyntaxException(text, "not http://host:port");
            }
            String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1)
                    : uri.getHost();
            return new InetSocketAddress(host, uri.getPort());
        } catch (URISyntaxException e) {
            throw new InvalidSettingException("listen", "'" + text + "' is not like http://127.0.0.1:8008");
        }
    }

    /**
     * {@code matrix.access_tokens}. Only {@code static} is served by the launcher's own endpoints; the
     * {@code whoami} sidecar mode comes with the tern-matrix-http module.
     *
     * @param type {@code static}
     * @param tokens access token to Matrix user id
     * @param guests users among {@code tokens}' values that are guests
     */
    public record AccessTokens(String type, Map<String, String> tokens, List<String> guests) {
        public AccessTokens {
            if (!"static".equals(type)) {
                throw new InvalidSettingException("type", (type == null ? "is required" : "'" + type
                        + "' is not served by the launcher's endpoints yet (needs tern-matrix-http)")
                        + "; known types: static");
            }
            tokens = tokens == null ? Map.of() : Map.copyOf(tokens);
            if (tokens.isEmpty()) {
                throw new InvalidSettingException("tokens", "needs at least one token, like {\"tok\": \"@alice:example.org\"}");
            }
            for (String user : tokens.values()) {
                if (user == null || !user.startsWith("@") || user.indexOf(':') < 2) {
                    throw new InvalidSettingException("tokens", "'" + user + "' is not a Matrix user id "
                            + "(expected @localpart:server)");
                }
            }
            guests = guests == null ? List.of() : List.copyOf(guests);
        }

        @Override
        public String toString() {
            return "AccessTokens[type=" + type + ", tokens=" + tokens.size() + ", guests=" + guests + "]";
        }
    }
}
