package dev.tern.admin.http;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import dev.tern.spi.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Lets a request through only with {@code Authorization: Bearer <token>}; answers 401 otherwise.
 * Both sides are hashed with SHA-256 and compared with {@link MessageDigest#isEqual}, so the time taken
 * tells nothing about the token, not even its length.
 *
 * <p>Immutable and thread-safe. The token never appears in a response or a log.
 */
public final class BearerTokenFilter extends Filter {

    private static final String PREFIX = "Bearer ";

    private final byte[] expectedDigest;

    public BearerTokenFilter(Secret token) {
        this.expectedDigest = sha256(token.bytes());
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        if (accepts(exchange.getRequestHeaders().getFirst("Authorization"))) {
            chain.doFilter(exchange);
            return;
        }
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"tern-admin\"");
        Responses.text(exchange, 401, "an admin token is required: Authorization: Bearer <admin.token>\n");
    }

    @Override
    public String description() {
        return "Requires the admin bearer token";
    }

    /** Whether this Authorization header value carries the token. */
    boolean accepts(String authorization) {
        if (authorization == null || authorization.length() < PREFIX.length()
                || !authorization.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return false;
        }
        byte[] presented = authorization.substring(PREFIX.length()).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expectedDigest, sha256(presented));
    }

    private static byte[] sha256(byte[] value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
